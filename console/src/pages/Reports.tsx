/** Reports: the definitions the role may run, a run in CSV/XLSX/PDF, the runs with their files (polled while working), and schedules. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { FORMATS, type Format, FormatChoice, ReportSchedules } from "./ReportSchedules.tsx";

const tone = (s: string) => (s === "succeeded" ? "ok" : s === "failed" ? "bad" : "warn");

/** The parameters typed as JSON, or the reason they are not an object. */
function paramsOf(text: string): { params?: Record<string, unknown>; problem?: string } {
  try {
    const value: unknown = JSON.parse(text.trim() || "{}");
    if (value && typeof value === "object" && !Array.isArray(value)) return { params: value as Record<string, unknown> };
    return { problem: 'The parameters must be a JSON object, such as {"currency": "USD"}.' };
  } catch {
    return { problem: "The parameters are not valid JSON." };
  }
}

export default function Reports() {
  const queries = useQueryClient();
  const [state, update] = useTableState({ definition: "", cursor: "" });
  const definitions = useQuery({ queryKey: ["report-definitions"], queryFn: () => must(api.GET("/api/reports/definitions")) });
  const runs = useQuery({
    queryKey: ["report-runs", state.definition, state.cursor],
    queryFn: () =>
      must(
        api.GET("/api/reports/runs", {
          params: {
            query: {
              limit: 20,
              ...(state.definition ? { definition: state.definition } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
    // Runs are asynchronous: poll while one is queued or running.
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "queued" || r.status === "running") ? 2_000 : false),
  });
  const [chosen, setChosen] = useState("");
  const [formats, setFormats] = useState<Format[]>([...FORMATS]);
  const [paramsText, setParamsText] = useState("{}");
  const [problem, setProblem] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (body: { definition: string; formats: Format[]; params: Record<string, unknown> }) =>
      must(api.POST("/api/reports/runs", { body })),
    onSuccess: async () => queries.invalidateQueries({ queryKey: ["report-runs"] }),
  });
  const definition = chosen || definitions.data?.definitions[0]?.id || "";
  const run = (e: FormEvent) => {
    e.preventDefault();
    const { params, problem: bad } = paramsOf(paramsText);
    setProblem(bad ?? (formats.length ? null : "Choose at least one format."));
    if (params && formats.length) start.mutate({ definition, formats, params });
  };
  return (
    <>
      <h1>Reports</h1>
      <section aria-labelledby="definitions-title">
        <h2 id="definitions-title">Definitions</h2>
        <ErrorBox error={definitions.error} />
        {definitions.isPending ? <Loading /> : null}
        {definitions.data ? (
          <DataTable
            caption="Report definitions"
            rows={definitions.data.definitions}
            rowKey={(d) => d.id}
            columns={[
              { key: "title", label: "Report", render: (d) => d.title },
              { key: "what", label: "What it shows", render: (d) => d.description },
              { key: "period", label: "Default period", render: (d) => `last ${d.defaultPeriod}` },
              { key: "access", label: "Who may run it", render: (d) => d.access.join(", ") },
            ]}
          />
        ) : null}
        <form className="form" onSubmit={run} aria-label="Run a report">
          <label>
            Report
            <select name="definition" value={definition} onChange={(e) => setChosen(e.target.value)}>
              {definitions.data?.definitions.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </label>
          <FormatChoice chosen={formats} onChange={setFormats} />
          <label>
            Parameters (JSON)
            <textarea name="params" rows={2} value={paramsText} onChange={(e) => setParamsText(e.target.value)} />
          </label>
          <button type="submit" disabled={!definition || start.isPending}>
            Run the report
          </button>
        </form>
        {problem ? (
          <p className="alert" role="alert">
            {problem}
          </p>
        ) : null}
        <ErrorBox error={start.error} />
        {start.data ? (
          <p className="notice" role="status">
            {start.data.reused ? "The same run already exists" : "Run started"}: {start.data.definition}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <div className="filters">
          <label>
            Definition
            <select value={state.definition} onChange={(e) => update({ definition: e.target.value })}>
              <option value="">Every report</option>
              {definitions.data?.definitions.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorBox error={runs.error} />
        {runs.isPending ? <Loading /> : null}
        {runs.data && runs.data.runs.length === 0 ? <Empty>No runs yet.</Empty> : null}
        {runs.data?.runs.length ? (
          <>
            <DataTable
              caption="Report runs"
              rows={runs.data.runs}
              rowKey={(r) => r.id}
              columns={[
                { key: "definition", label: "Report", render: (r) => r.definition },
                {
                  key: "status",
                  label: "Status",
                  render: (r) => (
                    <span className={`badge ${tone(r.status)}`}>{r.status === "running" ? `running ${r.progress}%` : r.status}</span>
                  ),
                },
                { key: "rows", label: "Rows", numeric: true, render: (r) => formatNumber(r.rowCount) },
                { key: "created", label: "Requested", render: (r) => formatDateTime(r.createdAt) },
                {
                  key: "files",
                  label: "Files",
                  render: (r) =>
                    r.error ??
                    (FORMATS.filter((f) => r.downloads[f]).map((f) => (
                      <a key={f} href={r.downloads[f]!.url} download aria-label={`Download ${r.definition} as ${f.toUpperCase()}`}>
                        {f.toUpperCase()}{" "}
                      </a>
                    )) ||
                      "—"),
                },
              ]}
            />
            <Pager cursor={state.cursor!} nextCursor={runs.data.nextCursor} onPage={(cursor) => update({ cursor })} />
          </>
        ) : null}
      </section>
      <ReportSchedules definitions={definitions.data?.definitions ?? []} />
    </>
  );
}
