/** Inventory's held stock: the SKUs that live reservations hold units of, most held first, with the totals; filter and page in the URL. */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import type { TableState } from "../lib/url-state.ts";

/** The page's URL state (the inventory page owns it, so a change here keeps the page's other filters). */
export function HeldStock({ state, update }: { state: TableState; update: (change: TableState) => void }) {
  const [prefix, setPrefix] = useState(state.heldSku ?? "");
  const held = useQuery({
    queryKey: ["held-stock", state.heldSku, state.heldCursor],
    queryFn: () =>
      must(
        api.GET("/api/inventory/reservations", {
          params: {
            query: {
              limit: 20,
              ...(state.heldSku ? { sku: state.heldSku } : {}),
              ...(state.heldCursor ? { cursor: state.heldCursor } : {}),
            },
          },
        }),
      ),
    // Holds come and go with carts and checkouts: keep the figures fresh while the page is open.
    refetchInterval: 30_000,
  });
  const filter = (e: FormEvent) => {
    e.preventDefault();
    update({ heldSku: prefix.trim(), heldCursor: "" });
  };
  return (
    <section aria-labelledby="held-title">
      <h2 id="held-title">Held by reservations</h2>
      <form className="filters" onSubmit={filter} aria-label="Filter held stock">
        <label>
          SKU starts with
          <input name="heldSku" value={prefix} onChange={(e) => setPrefix(e.target.value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={held.error} />
      {held.isPending ? <Loading /> : null}
      {held.data ? (
        <div className="cards" data-testid="held-totals">
          <div className="card">
            <div className="label">SKUs with holds</div>
            <div className="value" data-metric="held-skus">
              {formatNumber(held.data.totals.skus)}
            </div>
          </div>
          <div className="card">
            <div className="label">Units held</div>
            <div className="value" data-metric="held-units">
              {formatNumber(held.data.totals.units)}
            </div>
          </div>
        </div>
      ) : null}
      {held.data && held.data.items.length === 0 ? <Empty>No stock is held right now.</Empty> : null}
      {held.data?.items.length ? (
        <>
          <DataTable
            caption="SKUs held by reservations"
            rows={held.data.items}
            rowKey={(s) => s.sku}
            columns={[
              { key: "sku", label: "SKU", render: (s) => <Link href={`/inventory?sku=${encodeURIComponent(s.sku)}`}>{s.sku}</Link> },
              { key: "reserved", label: "Held", numeric: true, render: (s) => formatNumber(s.reserved) },
              { key: "onHand", label: "On hand", numeric: true, render: (s) => formatNumber(s.onHand) },
              { key: "available", label: "Available", numeric: true, render: (s) => formatNumber(s.available) },
              { key: "updatedAt", label: "As of", render: (s) => formatDateTime(s.updatedAt) },
            ]}
          />
          <Pager cursor={state.heldCursor!} nextCursor={held.data.nextCursor} onPage={(heldCursor) => update({ heldCursor })} />
        </>
      ) : null}
    </section>
  );
}
