/** One SKU's live holds: each reservation holding its units, with the units, status, expiry and holder; paged in the URL. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";

/** `user:usr_…` opens the customer; the checkout's and the system's holds are shown as they are recorded. */
function Holder({ actor }: { actor: string }) {
  const [type, id] = actor.split(/:(.*)/s);
  return type === "user" && id ? <Link href={`/customers/${encodeURIComponent(id)}`}>{id}</Link> : <span>{actor}</span>;
}

export function SkuHolds({ sku, cursor, onPage }: { sku: string; cursor: string; onPage: (cursor: string) => void }) {
  const holds = useQuery({
    queryKey: ["sku-holds", sku, cursor],
    queryFn: () =>
      must(
        api.GET("/api/inventory/{sku}/holds", {
          params: { path: { sku }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    // Holds start, expire and turn into sales on their own: keep the list close to the live figures.
    refetchInterval: 15_000,
  });
  return (
    <>
      <h2>Live holds</h2>
      <ErrorBox error={holds.error} />
      {holds.isPending ? <Loading /> : null}
      {holds.data && holds.data.items.length === 0 ? <Empty>No reservation holds units of this SKU.</Empty> : null}
      {holds.data?.items.length ? (
        <>
          <DataTable
            caption={`Live holds of ${sku}`}
            rows={holds.data.items}
            rowKey={(h) => h.reservationId}
            columns={[
              { key: "reservationId", label: "Reservation", render: (h) => <code>{h.reservationId}</code> },
              { key: "quantity", label: "Units", numeric: true, render: (h) => formatNumber(h.quantity) },
              {
                key: "status",
                label: "Status",
                render: (h) => (
                  <span className={`badge ${h.status === "held" ? "ok" : "warn"}`}>{h.status === "held" ? "held" : "committing"}</span>
                ),
              },
              { key: "expiresAt", label: "Expires", render: (h) => (h.status === "pinned" ? "—" : formatDateTime(h.expiresAt)) },
              { key: "createdAt", label: "Since", render: (h) => formatDateTime(h.createdAt) },
              { key: "actor", label: "Held by", render: (h) => <Holder actor={h.actor} /> },
            ]}
          />
          <Pager cursor={cursor} nextCursor={holds.data.nextCursor} onPage={onPage} />
        </>
      ) : null}
    </>
  );
}
