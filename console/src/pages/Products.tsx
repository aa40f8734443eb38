/** The catalogue: products by status, category and brand, sorted and paged by the server, with the category tree and brands. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime, formatMoney } from "../lib/format.ts";

type Sort = "newest" | "price_asc" | "price_desc" | "rating";
type Status = "draft" | "active" | "archived";

export default function Products() {
  const [state, update] = useTableState({ status: "active", category: "", brand: "", sort: "newest", cursor: "" });
  const categories = useQuery({ queryKey: ["categories"], queryFn: () => must(api.GET("/api/products/categories")), staleTime: 300_000 });
  const brands = useQuery({ queryKey: ["brands"], queryFn: () => must(api.GET("/api/products/brands")), staleTime: 300_000 });
  const products = useQuery({
    queryKey: ["products", state],
    queryFn: () =>
      must(
        api.GET("/api/products", {
          params: {
            query: {
              limit: 25,
              status: state.status as Status,
              sort: state.sort as Sort,
              ...(state.category ? { category: state.category } : {}),
              ...(state.brand ? { brand: state.brand } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
  });
  return (
    <>
      <div className="row">
        <h1 className="grow">Catalogue</h1>
        <Link className="button" href="/products/new">
          New product
        </Link>
      </div>
      <div className="filters">
        <label>
          Status
          <select value={state.status} onChange={(e) => update({ status: e.target.value })}>
            <option value="active">Published</option>
            <option value="draft">Draft</option>
            <option value="archived">Archived</option>
          </select>
        </label>
        <label>
          Category
          <select value={state.category} onChange={(e) => update({ category: e.target.value })}>
            <option value="">Any</option>
            {categories.data?.items.map((c) => (
              <option key={c.id} value={c.slug}>
                {"\u00a0\u00a0".repeat(c.depth)}
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Brand
          <select value={state.brand} onChange={(e) => update({ brand: e.target.value })}>
            <option value="">Any</option>
            {brands.data?.items.map((b) => (
              <option key={b.id} value={b.slug}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select value={state.sort} onChange={(e) => update({ sort: e.target.value })}>
            <option value="newest">Newest</option>
            <option value="price_asc">Price, low to high</option>
            <option value="price_desc">Price, high to low</option>
            <option value="rating">Rating</option>
          </select>
        </label>
      </div>
      <ErrorBox error={products.error} />
      {products.isPending ? <Loading what="Loading products" /> : null}
      {products.data && products.data.items.length === 0 ? <Empty>No products match.</Empty> : null}
      {products.data?.items.length ? (
        <>
          <DataTable
            caption="Products"
            rows={products.data.items}
            rowKey={(p) => p.id}
            columns={[
              { key: "name", label: "Product", render: (p) => <Link href={`/products/${p.id}`}>{p.name}</Link> },
              { key: "category", label: "Category", render: (p) => p.category?.name ?? "—" },
              { key: "brand", label: "Brand", render: (p) => p.brand?.name ?? "—" },
              {
                key: "price",
                label: "From",
                numeric: true,
                render: (p) => (p.price ? formatMoney(p.price.fromMinor, p.price.currency) : "—"),
              },
              { key: "stock", label: "Stock", render: (p) => (p.inStock ? "in stock" : <span className="badge bad">out</span>) },
              { key: "created", label: "Created", render: (p) => formatDateTime(p.createdAt) },
            ]}
          />
          <Pager cursor={state.cursor!} nextCursor={products.data.nextCursor} onPage={(cursor) => update({ cursor })} />
        </>
      ) : null}
    </>
  );
}
