/** Backups (admins): the backup sets with their status and size, a backup taken now, a set validated or restored, and the operations log with restore drills. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, useTableState } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { RestoreBackup, ValidateBackup } from "./BackupActions.tsx";

type Kind = "backup" | "validate" | "restore" | "drill";
const KINDS: Kind[] = ["backup", "validate", "restore", "drill"];
const tone = (s: string) => (s === "succeeded" || s === "complete" ? "ok" : s === "failed" ? "bad" : "warn");

/** Bytes in the largest unit that keeps the number readable (1,024 based). */
function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export default function Backups() {
  if (!hasRole(session(), "admin")) {
    return (
      <>
        <h1>Backups</h1>
        <p>Backups and restores are for admins. Ask an admin if a backup or a restore drill is needed.</p>
      </>
    );
  }
  return <AdminBackups />;
}

type TableState = ReturnType<typeof useTableState>;

function AdminBackups() {
  // One URL state for the page: the chosen set and the operations' kind filter.
  const table = useTableState({ kind: "", backup: "" });
  const [state, update] = table;
  return (
    <>
      <h1>Backups</h1>
      <BackupSets onOpen={(backup) => update({ backup })} />
      {state.backup ? (
        <section className="panel" aria-labelledby="chosen-title">
          <div className="row">
            <h2 id="chosen-title" className="grow">
              Backup <code>{state.backup}</code>
            </h2>
            <button type="button" className="secondary" onClick={() => update({ backup: "" })}>
              Close
            </button>
          </div>
          <ValidateBackup key={`v-${state.backup}`} backupId={state.backup} />
          <RestoreBackup key={`r-${state.backup}`} backupId={state.backup} />
        </section>
      ) : null}
      <Operations table={table} />
    </>
  );
}

function BackupSets({ onOpen }: { onOpen: (backupId: string) => void }) {
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const sets = useQuery({
    queryKey: ["backups"],
    queryFn: () => must(api.GET("/api/backups", { params: { query: { limit: 20 } } })),
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.operation?.status === "running") ? 3_000 : false),
  });
  const take = useMutation({
    mutationFn: () => must(api.POST("/api/backups")),
    onSettled: async () => {
      setConfirming(false);
      await Promise.all([queries.invalidateQueries({ queryKey: ["backups"] }), queries.invalidateQueries({ queryKey: ["backup-ops"] })]);
    },
  });
  return (
    <section aria-labelledby="sets-title">
      <h2 id="sets-title">Backup sets</h2>
      <button type="button" onClick={() => setConfirming(true)}>
        Back up now
      </button>
      {take.data ? (
        <p className="notice" role="status">
          Backup {take.data.backupId ?? ""}: {take.data.outcome}
        </p>
      ) : null}
      <ErrorBox error={sets.error ?? take.error} />
      {sets.isPending ? <Loading /> : null}
      {sets.data && sets.data.items.length === 0 ? <Empty>No backup has been taken yet.</Empty> : null}
      {sets.data?.items.length ? (
        <DataTable
          caption="Backup sets"
          rows={sets.data.items}
          rowKey={(b) => b.id}
          columns={[
            { key: "id", label: "Backup", render: (b) => <code>{b.id}</code> },
            { key: "started", label: "Started", render: (b) => formatDateTime(b.startedAt) },
            {
              key: "status",
              label: "Status",
              render: (b) => {
                const status = b.operation?.status ?? (b.complete ? "complete" : "incomplete");
                return <span className={`badge ${tone(status)}`}>{status}</span>;
              },
            },
            { key: "rows", label: "Rows", numeric: true, render: (b) => formatNumber(b.operation?.rowsDone) },
            { key: "size", label: "Size", numeric: true, render: (b) => formatBytes(b.operation?.bytesDone) },
            { key: "sha", label: "Checksum", render: (b) => (b.setSha256 ? <code>{b.setSha256.slice(0, 12)}…</code> : "—") },
            {
              key: "open",
              label: "Validate or restore",
              render: (b) =>
                b.complete ? (
                  <button type="button" className="secondary" aria-label={`Open backup ${b.id}`} onClick={() => onOpen(b.id)}>
                    Open
                  </button>
                ) : null,
            },
          ]}
        />
      ) : null}
      <Confirm
        open={confirming}
        title="Take a full backup now?"
        confirmLabel="Start the backup"
        busy={take.isPending}
        onConfirm={() => take.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>The backup runs through the scheduler's backup job; the page waits until it has finished.</p>
      </Confirm>
    </section>
  );
}

function Operations({ table: [state, update] }: { table: TableState }) {
  const ops = useQuery({
    queryKey: ["backup-ops", state.kind],
    queryFn: () =>
      must(api.GET("/api/backups/operations", { params: { query: { limit: 20, ...(state.kind ? { kind: state.kind as Kind } : {}) } } })),
    refetchInterval: (q) => (q.state.data?.items.some((o) => o.status === "running") ? 3_000 : false),
  });
  return (
    <section aria-labelledby="ops-title">
      <h2 id="ops-title">Backups, validations, restores and drills</h2>
      <div className="filters">
        <label>
          Kind
          <select value={state.kind} onChange={(e) => update({ kind: e.target.value })}>
            <option value="">Every kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k === "drill" ? "restore drill" : k}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={ops.error} />
      {ops.isPending ? <Loading /> : null}
      {ops.data && ops.data.items.length === 0 ? <Empty>Nothing of this kind has run yet.</Empty> : null}
      {ops.data?.items.length ? (
        <DataTable
          caption="Backup operations"
          rows={ops.data.items}
          rowKey={(o) => o.id}
          columns={[
            { key: "kind", label: "Kind", render: (o) => o.kind },
            { key: "backup", label: "Backup", render: (o) => <code>{o.backupId}</code> },
            { key: "status", label: "Status", render: (o) => <span className={`badge ${tone(o.status)}`}>{o.status}</span> },
            { key: "started", label: "Started", render: (o) => formatDateTime(o.startedAt) },
            { key: "finished", label: "Finished", render: (o) => formatDateTime(o.finishedAt) },
            { key: "rows", label: "Rows", numeric: true, render: (o) => formatNumber(o.rowsDone) },
            { key: "size", label: "Bytes", numeric: true, render: (o) => formatBytes(o.bytesDone) },
            { key: "error", label: "Error", render: (o) => o.error ?? "" },
          ]}
        />
      ) : null}
    </section>
  );
}
