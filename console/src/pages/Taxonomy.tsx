/**
 * Categories and brands (admins): the category tree (siblings in their
 * position order) and the brands, a new one, a rename (name and slug; a
 * category also moves under another and takes a position) and
 * a delete. Every change sends If-Match
 * with the version read, so a change made elsewhere meanwhile is refused
 * with the same message the product form shows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { ErrorBox, Loading } from "../components/States.tsx";
import { Pager, useTableState } from "../components/table.tsx";
import { treeOrder } from "../lib/category-tree.ts";
import { calls, queryKey, type Row, Rows } from "./TaxonomyRows.tsx";

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
      {list.data ? <Rows kind="category" rows={treeOrder(list.data.items).filter(matches(filter))} all={list.data.items} /> : null}
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
