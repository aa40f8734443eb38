/** Orders: by status, order number, placing days, by customer (email or id), or straight to one order; newest first, paged by the server. */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useLocation } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime, formatMoney } from "../lib/format.ts";

const STATUSES = ["pending", "confirming", "awaiting_payment", "confirmed", "shipped", "delivered", "cancelling", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

export default function Orders() {
  const [state, update] = useTableState({ status: "", email: "", number: "", from: "", to: "", cursor: "" });
  const [, navigate] = useLocation();
  const [find, setFind] = useState(state.email || state.number || "");
  // An email names a customer: their id first, then their orders.
  const customer = useQuery({
    queryKey: ["user-by-email", state.email],
    enabled: !!state.email,
    queryFn: () => must(api.GET("/api/users", { params: { query: { email: state.email!, limit: 1 } } })),
  });
  const userId = state.email ? customer.data?.items[0]?.id : undefined;
  const orders = useQuery({
    queryKey: ["orders", state.status, userId, state.number, state.from, state.to, state.cursor],
    enabled: !state.email || !!userId,
    queryFn: () =>
      must(
        api.GET("/api/orders", {
          params: {
            query: {
              limit: 25,
              ...(state.status ? { status: state.status as Status } : {}),
              ...(userId ? { userId } : {}),
              ...(state.number ? { number: state.number } : {}),
              ...(state.from ? { from: state.from } : {}),
              ...(state.to ? { to: state.to } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    const q = find.trim();
    if (/^ord_/i.test(q)) navigate(`/orders/${q}`);
    // An email names a customer; anything else is an order number or its beginning.
    else if (q.includes("@")) update({ email: q, number: "" });
    else update({ number: q, email: "" });
  };
  return (
    <>
      <h1>Orders</h1>
      <div className="filters">
        <form onSubmit={search} className="row">
          <label>
            Customer email, order number or id
            <input value={find} onChange={(e) => setFind(e.target.value)} name="find" />
          </label>
          <button type="submit">Search</button>
        </form>
        <label>
          Status
          <select value={state.status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Placed from
          <input type="date" value={state.from} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          Placed until
          <input type="date" value={state.to} onChange={(e) => update({ to: e.target.value })} />
        </label>
      </div>
      <ErrorBox error={customer.error ?? orders.error} />
      {state.email && customer.data && !userId ? <Empty>No customer has this email.</Empty> : null}
      {orders.isFetching && !orders.data ? <Loading what="Loading orders" /> : null}
      {orders.data && orders.data.items.length === 0 ? <Empty>No orders match.</Empty> : null}
      {orders.data?.items.length ? (
        <>
          <DataTable
            caption="Orders"
            rows={orders.data.items}
            rowKey={(o) => o.id}
            columns={[
              { key: "number", label: "Order", render: (o) => <Link href={`/orders/${o.id}`}>{o.number}</Link> },
              { key: "status", label: "Status", render: (o) => <span className="badge">{o.status.replace("_", " ")}</span> },
              { key: "items", label: "Items", numeric: true, render: (o) => o.totals.itemCount },
              { key: "total", label: "Total", numeric: true, render: (o) => formatMoney(o.totals.totalMinor, o.totals.currency) },
              { key: "created", label: "Placed", render: (o) => formatDateTime(o.createdAt) },
            ]}
          />
          <Pager cursor={state.cursor!} nextCursor={orders.data.nextCursor} onPage={(cursor) => update({ cursor })} />
        </>
      ) : null}
    </>
  );
}
