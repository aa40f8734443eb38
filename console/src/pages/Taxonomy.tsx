/**
 * Categories and brands (admins): the category tree and the brands, a new
 * one, a rename (name and slug) and a delete. Every change sends If-Match
 * with the version read, so a change made elsewhere meanwhile is refused
 * with the same message the product form shows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";

type Kind = "category" | "brand";
interface Row {
  id: string;
  name: string;
  slug: string;
  version: number;
  depth?: number;
  path?: string;
}
interface Change {
  name: string;
  slug: string;
}

const ifMatch = (version: number) => ({ "if-match": `"v${version}"` });

/** The typed calls of each kind (the API's paths differ only by name). */
const calls = {
  category: {
    create: (body: { name: string; slug?: string; parentId: string | null }) => must(api.POST("/api/products/categories", { body })),
    change: (row: Row, body: Change) =>
      must(api.PATCH("/api/products/categories/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) }, body })),
    remove: (row: Row) =>
      must(api.DELETE("/api/products/categories/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) } })),
  },
  brand: {
    create: (body: { name: string; slug?: string }) => must(api.POST("/api/products/brands", { body })),
    change: (row: Row, body: Change) =>
      must(api.PATCH("/api/products/brands/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) }, body })),
    remove: (row: Row) => must(api.DELETE("/api/products/brands/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) } })),
  },
};
const queryKey = (kind: Kind) => [kind === "category" ? "categories" : "brands"];

export default function Taxonomy() {
  const [state, update] = useTableState({ q: "", brands: "" });
  if (!hasRole(session(), "admin")) {
    return (
      <>
        <h1>Categories and brands</h1>
        <p>Categories and brands are edited by admins; the catalogue page filters by them.</p>
      </>
    );
  }
  return (
    <>
      <h1>Categories and brands</h1>
      <div className="filters">
        <label>
          Name contains
          <input type="search" value={state.q} onChange={(e) => update({ q: e.target.value })} />
        </label>
      </div>
      <Categories filter={state.q!} />
      <Brands filter={state.q!} cursor={state.brands!} onPage={(brands) => update({ brands })} />
    </>
  );
}

const matches = (filter: string) => (r: Row) => !filter || r.name.toLowerCase().includes(filter.toLowerCase());

function Categories({ filter }: { filter: string }) {
  const list = useQuery({
    queryKey: queryKey("category"),
    queryFn: () => must(api.GET("/api/products/categories", { params: { query: { limit: 500 } } })),
  });
  const [name, setName] = useState("");
  const [parentId, setParentId] = useState("");
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: () => calls.category.create({ name, parentId: parentId || null }),
    onSuccess: async () => {
      setName("");
      await queries.invalidateQueries({ queryKey: queryKey("category") });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      <form className="form" onSubmit={submit} aria-label="New category">
        <label>
          New category
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Under
          <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">The top level</option>
            {list.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.path}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={create.isPending || !name.trim()}>
          Add the category
        </button>
      </form>
      <ErrorBox error={list.error ?? create.error} />
      {list.isPending ? <Loading what="Loading the categories" /> : null}
      {list.data ? <Rows kind="category" rows={list.data.items.filter(matches(filter))} /> : null}
    </section>
  );
}

function Brands({ filter, cursor, onPage }: { filter: string; cursor: string; onPage: (cursor: string) => void }) {
  const list = useQuery({
    queryKey: [...queryKey("brand"), cursor],
    queryFn: () => must(api.GET("/api/products/brands", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })),
  });
  const [name, setName] = useState("");
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: () => calls.brand.create({ name }),
    onSuccess: async () => {
      setName("");
      await queries.invalidateQueries({ queryKey: queryKey("brand") });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="brands-title">
      <h2 id="brands-title">Brands</h2>
      <form className="form" onSubmit={submit} aria-label="New brand">
        <label>
          New brand
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit" disabled={create.isPending || !name.trim()}>
          Add the brand
        </button>
      </form>
      <ErrorBox error={list.error ?? create.error} />
      {list.isPending ? <Loading what="Loading the brands" /> : null}
      {list.data ? (
        <>
          <Rows kind="brand" rows={list.data.items.filter(matches(filter))} />
          <Pager cursor={cursor} nextCursor={list.data.nextCursor} onPage={onPage} />
        </>
      ) : null}
    </section>
  );
}

/** The table of one kind, with a row's rename form in place and its delete behind a confirmation. */
function Rows({ kind, rows }: { kind: Kind; rows: Row[] }) {
  const queries = useQueryClient();
  const [editing, setEditing] = useState<(Change & { row: Row }) | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  // Products show their category and brand by name: their cached copies are stale after a change too.
  const refresh = () =>
    Promise.all([queries.invalidateQueries({ queryKey: queryKey(kind) }), queries.invalidateQueries({ queryKey: ["products"] })]);
  const change = useMutation({
    // A retry after a conflict sends the version just read again (the person has seen the other change by then).
    mutationFn: (e: Change & { row: Row }) =>
      calls[kind].change(rows.find((r) => r.id === e.row.id) ?? e.row, { name: e.name.trim(), slug: e.slug.trim() }),
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
    // A conflict leaves the form open with the message; the list is read again so a retry uses the new version.
    onError: refresh,
  });
  const remove = useMutation({
    mutationFn: (row: Row) => calls[kind].remove(row),
    onSettled: async () => {
      setDeleting(null);
      await refresh();
    },
  });
  const noun = kind === "category" ? "category" : "brand";
  if (rows.length === 0) return <Empty>{`No ${noun} matches.`}</Empty>;
  return (
    <>
      <ErrorBox error={change.error ?? remove.error} />
      <DataTable
        caption={kind === "category" ? "Categories" : "Brands"}
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          {
            key: "name",
            label: "Name",
            render: (r) =>
              editing?.row.id === r.id ? (
                <form
                  className="row"
                  aria-label={`Rename ${r.name}`}
                  onSubmit={(e) => {
                    e.preventDefault();
                    change.mutate(editing);
                  }}
                >
                  <label>
                    Name
                    <input value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} required />
                  </label>
                  <label>
                    Slug
                    <input value={editing.slug} onChange={(e) => setEditing({ ...editing, slug: e.target.value })} required />
                  </label>
                  <button type="submit" disabled={change.isPending}>
                    Save
                  </button>
                  <button type="button" className="secondary" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <span style={{ paddingLeft: `${(r.depth ?? 0) * 1.25}rem` }}>{r.name}</span>
              ),
          },
          { key: "slug", label: kind === "category" ? "Path" : "Slug", render: (r) => <code>{r.path ?? r.slug}</code> },
          { key: "version", label: "Version", numeric: true, render: (r) => r.version },
          {
            key: "actions",
            label: "Actions",
            render: (r) => (
              <div className="row">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit ${r.name}`}
                  onClick={() => {
                    change.reset();
                    setEditing({ row: r, name: r.name, slug: r.slug });
                  }}
                >
                  Edit
                </button>
                <button type="button" className="secondary" aria-label={`Delete ${r.name}`} onClick={() => setDeleting(r)}>
                  Delete
                </button>
              </div>
            ),
          },
        ]}
      />
      <Confirm
        open={deleting !== null}
        title={`Delete the ${noun} ${deleting?.name ?? ""}?`}
        confirmLabel={`Delete the ${noun}`}
        danger
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      >
        <p>
          {kind === "category"
            ? "A category with subcategories or products is not deleted; move them first."
            : "A brand that products still carry is not deleted."}
        </p>
      </Confirm>
    </>
  );
}
