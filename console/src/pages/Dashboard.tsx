/** Today's running totals, sales over time against the period before, the funnel, top products, stock-outs and the live order feed. */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { TimeChart } from "../components/Chart.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, useTableState } from "../components/table.tsx";
import { formatDateTime, formatDay, formatMoney, formatNumber, formatPercent, isoDay } from "../lib/format.ts";

const CURRENCIES = ["USD", "EUR", "GBP"];

export function Dashboard() {
  const [state, update] = useTableState({ currency: "USD", days: "14" });
  const currency = state.currency!;
  const days = Math.min(90, Math.max(7, Number(state.days) || 14));
  // Sales figures are for admins and analysts; support sees the stock-outs and the order feed.
  const seesAnalytics = hasRole(session(), "admin", "analyst");
  const today = new Date();
  // `to` is exclusive: the range ends with today.
  const range = { from: isoDay(today, -(days - 1)), to: isoDay(today, 1) };
  const before = { from: isoDay(today, -(2 * days - 1)), to: isoDay(today, -(days - 1)) };

  const realtime = useQuery({
    queryKey: ["realtime", currency],
    enabled: seesAnalytics,
    queryFn: () => must(api.GET("/api/analytics/realtime", { params: { query: { currency } } })),
    refetchInterval: 15_000,
  });
  const sales = useQuery({
    queryKey: ["sales", currency, range.from],
    enabled: seesAnalytics,
    queryFn: () => must(api.GET("/api/analytics/sales", { params: { query: { currency, ...range, granularity: "day", by: "period" } } })),
  });
  const previous = useQuery({
    queryKey: ["sales", currency, before.from],
    enabled: seesAnalytics,
    queryFn: () => must(api.GET("/api/analytics/sales", { params: { query: { currency, ...before, granularity: "day", by: "period" } } })),
  });
  const top = useQuery({
    queryKey: ["top", currency, range.from],
    enabled: seesAnalytics,
    queryFn: () => must(api.GET("/api/analytics/sales", { params: { query: { currency, ...range, by: "product", limit: 5 } } })),
  });
  const funnel = useQuery({
    queryKey: ["funnel", currency, range.from],
    enabled: seesAnalytics,
    queryFn: () => must(api.GET("/api/analytics/funnel", { params: { query: { ...range, currency } } })),
  });
  const stockOuts = useQuery({
    queryKey: ["stock-outs"],
    queryFn: () => must(api.GET("/api/inventory/reports/low-stock", { params: { query: { status: "out_of_stock", limit: 10 } } })),
  });
  // Support and admins see every order; an analyst's order list would only be their own.
  const seesOrders = hasRole(session(), "admin", "support");
  const feed = useQuery({
    queryKey: ["order-feed"],
    enabled: seesOrders,
    queryFn: () => must(api.GET("/api/orders", { params: { query: { limit: 8 } } })),
    refetchInterval: 10_000,
  });

  const money = useMemo(() => (v: number) => formatMoney(Math.round(v), currency), [currency]);
  // Both periods on one axis: day i of this period against day i of the one before.
  const chart = useMemo(() => {
    const rows = sales.data?.rows ?? [];
    const prior = previous.data?.rows ?? [];
    return {
      days: rows.map((r) => r.key ?? ""),
      series: [
        { label: `Revenue, last ${days} days`, values: rows.map((r) => r.revenueMinor), color: "#1f77d0" },
        { label: `The ${days} days before`, values: rows.map((_, i) => prior[i]?.revenueMinor ?? null), color: "#d9822b", dash: [6, 4] },
      ],
    };
  }, [sales.data, previous.data, days]);

  const m = realtime.data?.metrics ?? {};
  return (
    <>
      <h1>Dashboard</h1>
      <div className="filters">
        <label>
          Currency
          <select value={currency} onChange={(e) => update({ currency: e.target.value })}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Period
          <select value={String(days)} onChange={(e) => update({ days: e.target.value })}>
            {[7, 14, 30, 90].map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {seesAnalytics ? (
        <>
          <h2>Today so far</h2>
          <ErrorBox error={realtime.error} />
          <div className="cards" aria-live="polite">
            {[
              ["Revenue", formatMoney(m.revenueMinor ?? 0, currency)],
              ["Orders", formatNumber(m.ordersConfirmed ?? 0)],
              ["Average order", formatMoney(realtime.data?.averageOrderValueMinor ?? 0, currency)],
              ["Units", formatNumber(m.unitsConfirmed ?? 0)],
              ["Refunds", formatMoney(m.refundsMinor ?? 0, currency)],
              ["Product views", formatNumber(m.productViews ?? 0)],
            ].map(([label, value]) => (
              <div className="card" key={label}>
                <div className="label">{label}</div>
                <div className="value" data-metric={label}>
                  {realtime.data ? value : "…"}
                </div>
              </div>
            ))}
          </div>

          <h2>Sales over time</h2>
          <ErrorBox error={sales.error ?? previous.error} />
          {sales.isPending || previous.isPending ? (
            <Loading what="Loading sales" />
          ) : (
            <div className="panel">
              <TimeChart title="Revenue by day" days={chart.days} series={chart.series} formatValue={money} mark="dashboard:charts" />
              <p className="muted">
                This period: {formatMoney(sales.data?.totals.revenueMinor ?? 0, currency)} from{" "}
                {formatNumber(sales.data?.totals.orders ?? 0)} orders; the period before:{" "}
                {formatMoney(previous.data?.totals.revenueMinor ?? 0, currency)}.
              </p>
              <DataTable
                caption="Revenue and orders by day"
                rows={sales.data?.rows ?? []}
                rowKey={(r) => r.key ?? ""}
                columns={[
                  { key: "day", label: "Day", render: (r) => formatDay(r.key ?? "") },
                  { key: "orders", label: "Orders", numeric: true, render: (r) => formatNumber(r.orders) },
                  { key: "units", label: "Units", numeric: true, render: (r) => formatNumber(r.units) },
                  { key: "revenue", label: "Revenue", numeric: true, render: (r) => formatMoney(r.revenueMinor, currency) },
                  {
                    key: "before",
                    label: "Day in the period before",
                    numeric: true,
                    render: (r) => formatMoney(previous.data?.rows[(sales.data?.rows ?? []).indexOf(r)]?.revenueMinor ?? 0, currency),
                  },
                ]}
              />
            </div>
          )}
        </>
      ) : (
        <p className="muted">Sales figures are for the admin and analyst roles.</p>
      )}
      <div className="grid2">
        {seesAnalytics ? (
          <>
            <section>
              <h2>Funnel</h2>
              <ErrorBox error={funnel.error} />
              {funnel.data ? (
                <DataTable
                  caption="Conversion funnel"
                  rows={funnel.data.steps}
                  rowKey={(s) => s.step}
                  columns={[
                    { key: "step", label: "Step", render: (s) => s.step.replace(/_/g, " ") },
                    { key: "users", label: "Shoppers", numeric: true, render: (s) => formatNumber(s.users) },
                    { key: "rate", label: "From the step before", numeric: true, render: (s) => formatPercent(s.conversionRate) },
                  ]}
                />
              ) : (
                <Loading />
              )}
            </section>
            <section>
              <h2>Top products</h2>
              <ErrorBox error={top.error} />
              {top.data && top.data.rows.length === 0 ? <Empty>No sales in this period.</Empty> : null}
              {top.data?.rows.length ? (
                <DataTable
                  caption="Top products by revenue"
                  rows={top.data.rows}
                  rowKey={(r) => r.key ?? ""}
                  columns={[
                    {
                      key: "name",
                      label: "Product",
                      render: (r) => (r.key ? <Link href={`/products/${r.key}`}>{r.label ?? r.key}</Link> : r.label),
                    },
                    { key: "units", label: "Units", numeric: true, render: (r) => formatNumber(r.units) },
                    { key: "revenue", label: "Revenue", numeric: true, render: (r) => formatMoney(r.revenueMinor, currency) },
                  ]}
                />
              ) : null}
            </section>
          </>
        ) : null}
        <section>
          <h2>Stock-outs</h2>
          <ErrorBox error={stockOuts.error} />
          {stockOuts.data && stockOuts.data.items.length === 0 ? <Empty>Nothing is out of stock.</Empty> : null}
          {stockOuts.data?.items.length ? (
            <ul>
              {stockOuts.data.items.map((s) => (
                <li key={s.sku}>
                  <Link href={`/inventory?sku=${encodeURIComponent(s.sku)}`}>{s.sku}</Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        {seesOrders ? (
          <section>
            <h2>Latest orders</h2>
            <ErrorBox error={feed.error} />
            {feed.data && feed.data.items.length === 0 ? <Empty>No orders yet.</Empty> : null}
            <ul aria-live="polite">
              {feed.data?.items.map((o) => (
                <li key={o.id}>
                  <Link href={`/orders/${o.id}`}>{o.number}</Link> · {formatMoney(o.totals.totalMinor, o.totals.currency)} · {o.status} ·{" "}
                  <span className="muted">{formatDateTime(o.createdAt)}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </>
  );
}
