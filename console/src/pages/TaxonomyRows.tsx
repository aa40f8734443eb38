/**
 * The category and brand tables: the typed calls of each kind, a rename in
 * place (a category also moves under another and takes its position among its
 * siblings) and a delete behind a confirmation, all with If-Match.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox } from "../components/States.tsx";
import { DataTable } from "../components/table.tsx";

type Kind = "category" | "brand";
export interface Row {
  id: string;
  parentId?: string | null;
  name: string;
  slug: string;
  version: number;
  depth?: number;
  path?: string;
  position?: number;
}
interface Change {
  name: string;
  slug: string;
  /** Categories only: "" for the top level. */
  parentId?: string;
  /** Categories only: the place among its siblings, as typed. */
  position?: string;
}

const ifMatch = (version: number) => ({ "if-match": `"v${version}"` });

/** The typed calls of each kind (the API's paths differ only by name). */
export const calls = {
  category: {
    create: (body: { name: string; slug?: string; parentId: string | null }) => must(api.POST("/api/products/categories", { body })),
    change: (row: Row, { parentId, position, ...rest }: Change) =>
      must(
        api.PATCH("/api/products/categories/{id}", {
          params: { path: { id: row.id }, header: ifMatch(row.version) },
          body: {
            ...rest,
            ...(parentId === undefined ? {} : { parentId: parentId || null }),
            ...(position === undefined || position.trim() === "" ? {} : { position: Number(position) }),
          },
        }),
      ),
    remove: (row: Row) =>
      must(api.DELETE("/api/products/categories/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) } })),
  },
  brand: {
    create: (body: { name: string; slug?: string }) => must(api.POST("/api/products/brands", { body })),
    change: (row: Row, { name, slug }: Change) =>
      must(
        api.PATCH("/api/products/brands/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) }, body: { name, slug } }),
      ),
    remove: (row: Row) => must(api.DELETE("/api/products/brands/{id}", { params: { path: { id: row.id }, header: ifMatch(row.version) } })),
  },
};
export const queryKey = (kind: Kind) => [kind === "category" ? "categories" : "brands"];

/** The table of one kind, with a row's rename form in place and its delete behind a confirmation. */
export function Rows({ kind, rows, all = rows }: { kind: Kind; rows: Row[]; all?: Row[] }) {
  const queries = useQueryClient();
  const [editing, setEditing] = useState<(Change & { row: Row }) | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  // Products show their category and brand by name: their cached copies are stale after a change too.
  const refresh = () =>
    Promise.all([queries.invalidateQueries({ queryKey: queryKey(kind) }), queries.invalidateQueries({ queryKey: ["products"] })]);
  const change = useMutation({
    // A retry after a conflict sends the version just read again (the person has seen the other change by then).
    mutationFn: (e: Change & { row: Row }) =>
      calls[kind].change(all.find((r) => r.id === e.row.id) ?? e.row, {
        name: e.name.trim(),
        slug: e.slug.trim(),
        ...(e.parentId === undefined ? {} : { parentId: e.parentId }),
        ...(e.position === undefined ? {} : { position: e.position }),
      }),
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
                  {kind === "category" ? (
                    <label>
                      Under
                      <select value={editing.parentId ?? ""} onChange={(e) => setEditing({ ...editing, parentId: e.target.value })}>
                        <option value="">The top level</option>
                        {all
                          // Not under itself or its own subcategories.
                          .filter((c) => c.id !== r.id && !c.path?.startsWith(`${r.path}/`))
                          .map((c) => (
                            <option key={c.id} value={c.id}>
                              {c.path}
                            </option>
                          ))}
                      </select>
                    </label>
                  ) : null}
                  {kind === "category" ? (
                    <label>
                      Position
                      <input
                        type="number"
                        min={0}
                        max={100000}
                        step={1}
                        value={editing.position ?? ""}
                        onChange={(e) => setEditing({ ...editing, position: e.target.value })}
                      />
                    </label>
                  ) : null}
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
          ...(kind === "category" ? [{ key: "position", label: "Position", numeric: true, render: (r: Row) => r.position ?? 0 }] : []),
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
                    setEditing({
                      row: r,
                      name: r.name,
                      slug: r.slug,
                      ...(kind === "category" ? { parentId: r.parentId ?? "", position: String(r.position ?? 0) } : {}),
                    });
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
