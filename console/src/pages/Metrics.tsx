/**
 * Metrics: the Prometheus text of /api/metrics as figures (requests by
 * status and their rate between two scrapes, the 5xx share, p95 latency per
 * route) and as a table of every sample, filtered by name in the URL.
 * The counters are those of the isolate that answered the scrape.
 */
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, useTableState } from "../components/table.tsx";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { errorRate, named, parsePrometheus, quantileBy, ratePerSecond, type Sample, totalBy } from "../lib/prometheus.ts";

const POLL_MS = 15_000;

interface Reading {
  at: number;
  byStatus: Record<string, number>;
}

const labelText = (s: Sample) =>
  Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");

export default function Metrics() {
  const [state, update] = useTableState({ q: "" });
  // The last two scrapes: the rate is between them (a re-render without a new scrape keeps the pair).
  const readings = useRef<Reading[]>([]);
  const scrape = useQuery({
    queryKey: ["metrics"],
    queryFn: async () => {
      const text = await must(api.GET("/api/metrics", { parseAs: "text" }));
      return { at: Date.now(), ...parsePrometheus(String(text)) };
    },
    refetchInterval: POLL_MS,
  });
  const data = scrape.data;
  const byStatus = data ? totalBy(named(data.samples, "http_requests_total"), "status") : {};
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  if (data && readings.current.at(-1)?.at !== data.at) readings.current = [...readings.current.slice(-1), { at: data.at, byStatus }];
  const before = readings.current.length === 2 ? readings.current[0] : undefined;
  const seconds = data && before ? (data.at - before.at) / 1000 : 0;
  const rates = Object.fromEntries(
    Object.entries(byStatus).map(([status, n]) => [status, before ? ratePerSecond(before.byStatus[status] ?? 0, n, seconds) : null]),
  );
  const p95 = data ? quantileBy(data.samples, "http_request_duration_seconds", "route", 0.95) : {};
  const shown = data?.samples.filter((s) => !state.q || s.name.includes(state.q)) ?? [];
  return (
    <>
      <h1>Metrics</h1>
      <ErrorBox error={scrape.error} />
      {scrape.isPending ? <Loading /> : null}
      {data ? (
        <>
          <div className="cards" data-testid="metric-headlines">
            <div className="card">
              <div className="label">Requests counted</div>
              <div className="value" data-metric="requests">
                {formatNumber(total)}
              </div>
            </div>
            <div className="card">
              <div className="label">Server errors (5xx share)</div>
              <div className="value" data-metric="error-rate">
                {formatPercent(errorRate(byStatus))}
              </div>
            </div>
            <div className="card">
              <div className="label">Samples</div>
              <div className="value">{formatNumber(data.samples.length)}</div>
            </div>
          </div>
          <h2>Requests by status</h2>
          {total === 0 ? (
            <Empty>No requests counted yet.</Empty>
          ) : (
            <DataTable
              caption="Requests by status"
              rows={Object.keys(byStatus).sort()}
              rowKey={(s) => s}
              columns={[
                { key: "status", label: "Status", render: (s) => s },
                { key: "count", label: "Requests", numeric: true, render: (s) => formatNumber(byStatus[s]) },
                {
                  key: "rate",
                  label: "Per second since the last scrape",
                  numeric: true,
                  render: (s) => (rates[s] === null || rates[s] === undefined ? "—" : rates[s].toFixed(2)),
                },
              ]}
            />
          )}
          <h2>Latency per route (p95)</h2>
          {Object.keys(p95).length === 0 ? (
            <Empty>No request durations recorded yet.</Empty>
          ) : (
            <DataTable
              caption="95th percentile latency per route"
              rows={Object.entries(p95).sort((a, b) => b[1] - a[1])}
              rowKey={([route]) => route}
              columns={[
                { key: "route", label: "Route", render: ([route]) => route },
                { key: "p95", label: "p95 (ms)", numeric: true, render: ([, s]) => formatNumber(Math.round(s * 1000)) },
              ]}
            />
          )}
          <h2>Every sample</h2>
          <div className="filters">
            <label>
              Name contains
              <input name="q" value={state.q} onChange={(e) => update({ q: e.target.value })} />
            </label>
          </div>
          {shown.length === 0 ? (
            <Empty>No sample matches.</Empty>
          ) : (
            <DataTable
              caption="Metric samples"
              rows={shown}
              rowKey={(s) => `${s.name}{${labelText(s)}}`}
              columns={[
                { key: "name", label: "Metric", render: (s) => s.name },
                { key: "labels", label: "Labels", render: (s) => labelText(s) },
                { key: "value", label: "Value", numeric: true, render: (s) => formatNumber(s.value) },
              ]}
            />
          )}
        </>
      ) : null}
    </>
  );
}
