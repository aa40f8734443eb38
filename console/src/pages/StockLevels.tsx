/** Every SKU's stock level: found by SKU prefix, filtered by status, sorted by SKU or emptiest first, paged by the server; all in the URL. */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import type { TableState } from "../lib/url-state.ts";

type Status = "in_stock" | "low_stock" | "out_of_stock";
const STATUS_LABEL: Record<Status, string> = { in_stock: "in stock", low_stock: "low", out_of_stock: "out of stock" };

/** The inventory page owns the URL state, so a change here keeps its other sections' filters. */
export function StockLevels({ state, update }: { state: TableState; update: (change: TableState) => void }) {
  const [prefix, setPrefix] = useState(state.levelSku ?? "");
  const levels = useQuery({
    queryKey: ["stock-levels", state.levelSku, state.levelStatus, state.levelSort, state.levelCursor],
    queryFn: () =>
      must(
        api.GET("/api/inventory/levels", {
          params: {
            query: {
              limit: 20,
              sort: state.levelSort === "available" ? "available" : "sku",
              ...(state.levelSku ? { sku: state.levelSku } : {}),
              ...(state.levelStatus ? { status: state.levelStatus as Status } : {}),
              ...(state.levelCursor ? { cursor: state.levelCursor } : {}),
            },
          },
        }),
      ),
  });
  const find = (e: FormEvent) => {
    e.preventDefault();
    update({ levelSku: prefix.trim(), levelCursor: "" });
  };
  return (
    <section aria-labelledby="levels-title">
      <h2 id="levels-title">Stock levels</h2>
      <form className="filters" onSubmit={find} aria-label="Find stock levels">
        <label>
          SKU begins with
          <input name="levelSku" value={prefix} onChange={(e) => setPrefix(e.target.value)} />
        </label>
        <button type="submit">Find</button>
        <label>
          Status
          <select value={state.levelStatus} onChange={(e) => update({ levelStatus: e.target.value, levelCursor: "" })}>
            <option value="">Any</option>
            <option value="in_stock">In stock</option>
            <option value="low_stock">Below the low-stock threshold</option>
            <option value="out_of_stock">Out of stock</option>
          </select>
        </label>
        <label>
          Sort by
          <select value={state.levelSort} onChange={(e) => update({ levelSort: e.target.value, levelCursor: "" })}>
            <option value="sku">SKU</option>
            <option value="available">Emptiest first</option>
          </select>
        </label>
      </form>
      <ErrorBox error={levels.error} />
      {levels.isPending ? <Loading /> : null}
      {levels.data && levels.data.items.length === 0 ? <Empty>No SKU matches.</Empty> : null}
      {levels.data?.items.length ? (
        <>
          <DataTable
            caption="Stock levels"
            rows={levels.data.items}
            rowKey={(s) => s.sku}
            columns={[
              { key: "sku", label: "SKU", render: (s) => <Link href={`/inventory?sku=${encodeURIComponent(s.sku)}`}>{s.sku}</Link> },
              { key: "onHand", label: "On hand", numeric: true, render: (s) => formatNumber(s.onHand) },
              { key: "reserved", label: "Held", numeric: true, render: (s) => formatNumber(s.reserved) },
              { key: "available", label: "Available", numeric: true, render: (s) => formatNumber(s.available) },
              { key: "threshold", label: "Threshold", numeric: true, render: (s) => formatNumber(s.lowStockThreshold) },
              {
                key: "status",
                label: "Status",
                render: (s) => <span className={`badge ${s.status === "in_stock" ? "ok" : "warn"}`}>{STATUS_LABEL[s.status]}</span>,
              },
              { key: "updatedAt", label: "As of", render: (s) => formatDateTime(s.updatedAt) },
            ]}
          />
          <Pager cursor={state.levelCursor!} nextCursor={levels.data.nextCursor} onPage={(levelCursor) => update({ levelCursor })} />
        </>
      ) : null}
    </section>
  );
}
