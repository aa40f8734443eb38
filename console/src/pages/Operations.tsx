/** Operations: health, scheduled jobs with their runs and a manual trigger, dead letters per consumer with inspect and replay. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime } from "../lib/format.ts";

const QUEUES = [
  "notifications-events",
  "audit-events",
  "pipeline-events",
  "search-events",
  "inventory-projection-events",
  "fulfilment-events",
  "recommendations-events",
] as const;
type Queue = (typeof QUEUES)[number];

const tone = (s: string) => (s === "ok" || s === "succeeded" ? "ok" : s === "down" || s === "failed" ? "bad" : "warn");

export default function Operations() {
  return (
    <>
      <h1>Operations</h1>
      <Health />
      <Jobs />
      <DeadLetters />
    </>
  );
}

function Health() {
  const health = useQuery({ queryKey: ["health"], queryFn: () => must(api.GET("/api/health")), refetchInterval: 30_000 });
  return (
    <section>
      <h2>Health</h2>
      <ErrorBox error={health.error} />
      {health.data ? (
        <div className="cards">
          <div className="card">
            <div className="label">Overall ({health.data.mode})</div>
            <div className="value">
              <span className={`badge ${tone(health.data.status)}`}>{health.data.status}</span>
            </div>
          </div>
          {Object.entries(health.data.checks).map(([name, check]) => (
            <div className="card" key={name}>
              <div className="label">{name}</div>
              <div className="value">
                <span className={`badge ${tone(check.status)}`}>{check.status}</span>{" "}
                <span className="muted">{Math.round(check.latencyMs)} ms</span>
              </div>
              {check.detail ? <div className="muted">{check.detail}</div> : null}
            </div>
          ))}
        </div>
      ) : (
        <Loading />
      )}
    </section>
  );
}

function Jobs() {
  const queries = useQueryClient();
  const [state, update] = useTableState({ job: "", runsCursor: "" });
  const [confirm, setConfirm] = useState<string | null>(null);
  const jobs = useQuery({ queryKey: ["jobs"], queryFn: () => must(api.GET("/api/scheduler/jobs")) });
  const runs = useQuery({
    queryKey: ["runs", state.job, state.runsCursor],
    queryFn: () =>
      must(
        api.GET("/api/scheduler/runs", {
          params: {
            query: { limit: 10, ...(state.job ? { job: state.job } : {}), ...(state.runsCursor ? { cursor: state.runsCursor } : {}) },
          },
        }),
      ),
  });
  const trigger = useMutation({
    mutationFn: (name: string) => must(api.POST("/api/scheduler/jobs/{name}/run", { params: { path: { name } } })),
    onSettled: async () => {
      setConfirm(null);
      await Promise.all([queries.invalidateQueries({ queryKey: ["jobs"] }), queries.invalidateQueries({ queryKey: ["runs"] })]);
    },
  });
  return (
    <section>
      <h2>Scheduled jobs</h2>
      <ErrorBox error={jobs.error ?? trigger.error} />
      {trigger.data ? (
        <p className="notice" role="status">
          {trigger.data.job}: {trigger.data.outcome}
        </p>
      ) : null}
      {jobs.data ? (
        <DataTable
          caption="Scheduled jobs"
          rows={jobs.data.items}
          rowKey={(j) => j.name}
          columns={[
            {
              key: "name",
              label: "Job",
              render: (j) => (
                <button type="button" className="secondary" onClick={() => update({ job: j.name, runsCursor: "" })}>
                  {j.name}
                </button>
              ),
            },
            { key: "what", label: "What it does", render: (j) => j.description },
            { key: "cron", label: "Schedule", render: (j) => j.crons.join(", ") || "on demand" },
            {
              key: "last",
              label: "Last run",
              render: (j) =>
                j.lastRun ? (
                  <>
                    <span className={`badge ${tone(j.lastRun.outcome)}`}>{j.lastRun.outcome}</span> {formatDateTime(j.lastRun.startedAt)}
                  </>
                ) : (
                  "never"
                ),
            },
            {
              key: "run",
              label: "Run now",
              render: (j) => (
                <button type="button" aria-label={`Run ${j.name} now`} onClick={() => setConfirm(j.name)}>
                  Run
                </button>
              ),
            },
          ]}
        />
      ) : (
        <Loading />
      )}
      <h2>Runs {state.job ? `of ${state.job}` : ""}</h2>
      {state.job ? (
        <button type="button" className="secondary" onClick={() => update({ job: "", runsCursor: "" })}>
          Show every job's runs
        </button>
      ) : null}
      <ErrorBox error={runs.error} />
      {runs.data ? (
        <>
          <DataTable
            caption="Job runs"
            rows={runs.data.items.filter((r) => r !== null)}
            rowKey={(r) => r.id}
            columns={[
              { key: "job", label: "Job", render: (r) => r.job },
              { key: "trigger", label: "Trigger", render: (r) => r.trigger },
              { key: "outcome", label: "Outcome", render: (r) => <span className={`badge ${tone(r.outcome)}`}>{r.outcome}</span> },
              { key: "started", label: "Started", render: (r) => formatDateTime(r.startedAt) },
              { key: "error", label: "Error", render: (r) => r.error ?? "" },
            ]}
          />
          <Pager cursor={state.runsCursor!} nextCursor={runs.data.nextCursor} onPage={(runsCursor) => update({ runsCursor })} />
        </>
      ) : null}
      <Confirm
        open={confirm !== null}
        title={`Run ${confirm} now?`}
        confirmLabel="Run the job"
        busy={trigger.isPending}
        onConfirm={() => confirm && trigger.mutate(confirm)}
        onCancel={() => setConfirm(null)}
      />
    </section>
  );
}

function DeadLetters() {
  const queries = useQueryClient();
  const [state, update] = useTableState({ queue: "", dlStatus: "parked", dlCursor: "" });
  const [inspect, setInspect] = useState<string | null>(null);
  const [replay, setReplay] = useState<string | null>(null);
  const letters = useQuery({
    queryKey: ["dead-letters", state.queue, state.dlStatus, state.dlCursor],
    queryFn: () =>
      must(
        api.GET("/api/pipeline/dead-letters", {
          params: {
            query: {
              limit: 20,
              status: state.dlStatus as "parked" | "replayed",
              ...(state.queue ? { queue: state.queue as Queue } : {}),
              ...(state.dlCursor ? { cursor: state.dlCursor } : {}),
            },
          },
        }),
      ),
  });
  const doReplay = useMutation({
    mutationFn: (id: string) => must(api.POST("/api/pipeline/dead-letters/{id}/replay", { params: { path: { id } } })),
    onSettled: async () => {
      setReplay(null);
      await queries.invalidateQueries({ queryKey: ["dead-letters"] });
    },
  });
  const shown = letters.data?.items.find((d) => d.id === inspect);
  return (
    <section>
      <h2>Dead letters</h2>
      <div className="filters">
        <label>
          Consumer
          <select value={state.queue} onChange={(e) => update({ queue: e.target.value })}>
            <option value="">Every consumer</option>
            {QUEUES.map((q) => (
              <option key={q}>{q}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={state.dlStatus} onChange={(e) => update({ dlStatus: e.target.value })}>
            <option value="parked">Parked</option>
            <option value="replayed">Replayed</option>
          </select>
        </label>
      </div>
      <ErrorBox error={letters.error ?? doReplay.error} />
      {doReplay.isSuccess ? (
        <p className="notice" role="status">
          Sent back to its queue.
        </p>
      ) : null}
      {letters.data && letters.data.items.length === 0 ? <Empty>No dead letters.</Empty> : null}
      {letters.data?.items.length ? (
        <>
          <DataTable
            caption="Dead letters"
            rows={letters.data.items}
            rowKey={(d) => d.id}
            columns={[
              { key: "queue", label: "Consumer", render: (d) => d.queue },
              { key: "type", label: "Event", render: (d) => d.eventType ?? "—" },
              { key: "reason", label: "Reason", render: (d) => d.reason },
              { key: "count", label: "Times", numeric: true, render: (d) => d.deadLetteredCount },
              { key: "last", label: "Last failed", render: (d) => formatDateTime(d.lastDeadAt) },
              {
                key: "act",
                label: "Actions",
                render: (d) => (
                  <div className="row">
                    <button type="button" className="secondary" onClick={() => setInspect(d.id)}>
                      Inspect
                    </button>
                    {d.status === "parked" ? (
                      <button type="button" aria-label={`Replay ${d.eventType ?? d.id}`} onClick={() => setReplay(d.id)}>
                        Replay
                      </button>
                    ) : null}
                  </div>
                ),
              },
            ]}
          />
          <Pager cursor={state.dlCursor!} nextCursor={letters.data.nextCursor} onPage={(dlCursor) => update({ dlCursor })} />
        </>
      ) : null}
      {shown ? (
        <section className="panel" aria-label="Dead letter">
          <h2>Dead letter {shown.id}</h2>
          <pre>{JSON.stringify(shown, null, 2)}</pre>
        </section>
      ) : null}
      <Confirm
        open={replay !== null}
        title="Replay this message?"
        confirmLabel="Replay"
        busy={doReplay.isPending}
        onConfirm={() => replay && doReplay.mutate(replay)}
        onCancel={() => setReplay(null)}
      >
        <p>It is sent back to the queue it failed on; the consumer's idempotency keeps a repeat harmless.</p>
      </Confirm>
    </section>
  );
}
