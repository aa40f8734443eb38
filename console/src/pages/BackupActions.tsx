/**
 * A backup set's validation and restore (admins). A restore always starts
 * with the API's dry run: its plan (rows now and in the backup, objects,
 * whether newer data would be lost) and a confirmation token bound to that
 * plan; the restore itself sends the token, once the backup's id is typed.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { ErrorBox } from "../components/States.tsx";
import { DataTable } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";

interface Plan {
  snapshotAt?: string;
  tables?: { schema: string; table: string; backupRows: number; currentRows: number }[];
  objects?: { kind: string; inBackup: number }[];
  latestEventAt?: string | null;
  overwritesNewerData?: boolean;
  confirmationToken?: string;
}
interface Report {
  ok: boolean;
  problems?: string[];
  parts?: number;
  rows?: number;
  scratchRestore?: string;
  invariants?: unknown[];
}
interface Scope {
  schemas?: string[];
  objects?: null;
}

const refreshAll = (queries: ReturnType<typeof useQueryClient>) =>
  Promise.all([queries.invalidateQueries({ queryKey: ["backups"] }), queries.invalidateQueries({ queryKey: ["backup-ops"] })]);

export function ValidateBackup({ backupId }: { backupId: string }) {
  const queries = useQueryClient();
  const validate = useMutation({
    mutationFn: () => must(api.POST("/api/backups/{id}/validate", { params: { path: { id: backupId } } })) as Promise<Report>,
    onSettled: () => refreshAll(queries),
  });
  return (
    <section aria-labelledby="validate-title">
      <h3 id="validate-title">Validate</h3>
      <p className="muted">
        Checks every part's checksum and the counts, restores the set into the scratch database and checks the invariants.
      </p>
      <button type="button" disabled={validate.isPending} onClick={() => validate.mutate()}>
        {validate.isPending ? "Validating…" : "Validate this backup"}
      </button>
      <ErrorBox error={validate.error} />
      {validate.data ? (
        <div className={validate.data.ok ? "notice" : "alert"} role="status">
          <p>
            <strong>{validate.data.ok ? "The backup is valid." : "The backup has problems."}</strong> {formatNumber(validate.data.parts)}{" "}
            parts, {formatNumber(validate.data.rows)} rows; scratch restore: {validate.data.scratchRestore ?? "—"}; invariants checked:{" "}
            {validate.data.invariants?.length ?? 0}.
          </p>
          {validate.data.problems?.length ? (
            <ul>
              {validate.data.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function RestoreBackup({ backupId }: { backupId: string }) {
  const queries = useQueryClient();
  const [schemas, setSchemas] = useState("");
  const [withObjects, setWithObjects] = useState(true);
  const [typed, setTyped] = useState("");
  const scope = (): Scope => {
    const names = schemas.split(/[\s,]+/).filter(Boolean);
    return { ...(names.length ? { schemas: names } : {}), ...(withObjects ? {} : { objects: null }) };
  };
  const dryRun = useMutation({
    mutationFn: (s: Scope) =>
      must(api.POST("/api/backups/{id}/restore", { params: { path: { id: backupId } }, body: { dryRun: true, ...s } })) as Promise<Plan>,
    onMutate: () => setTyped(""),
  });
  const restore = useMutation({
    mutationFn: (s: Scope & { confirmationToken: string }) =>
      must(api.POST("/api/backups/{id}/restore", { params: { path: { id: backupId } }, body: { dryRun: false, ...s } })) as Promise<{
        tables?: number;
        rows?: number;
      }>,
    onSettled: () => refreshAll(queries),
  });
  // The token is bound to the scope the dry run planned: a changed scope needs a new dry run.
  const [planned, setPlanned] = useState<Scope | null>(null);
  const plan = dryRun.data;
  const submitDryRun = (e: FormEvent) => {
    e.preventDefault();
    restore.reset();
    const s = scope();
    setPlanned(s);
    dryRun.mutate(s);
  };
  const scopeChanged = () => {
    dryRun.reset();
    setPlanned(null);
  };
  return (
    <section aria-labelledby="restore-title">
      <h3 id="restore-title">Restore</h3>
      <form className="form" onSubmit={submitDryRun} aria-label="Plan a restore">
        <label>
          Schemas to restore (empty: all)
          <input
            value={schemas}
            onChange={(e) => {
              setSchemas(e.target.value);
              scopeChanged();
            }}
          />
        </label>
        <label className="row">
          <input
            type="checkbox"
            checked={withObjects}
            onChange={(e) => {
              setWithObjects(e.target.checked);
              scopeChanged();
            }}
          />
          Also restore the Durable Objects' state
        </label>
        <button type="submit" disabled={dryRun.isPending}>
          Dry run
        </button>
      </form>
      <ErrorBox error={dryRun.error ?? restore.error} />
      {plan?.tables ? (
        <>
          <p>
            Snapshot of {formatDateTime(plan.snapshotAt)}: {plan.tables.length} tables
            {plan.objects?.length
              ? `, ${plan.objects.map((o) => `${formatNumber(o.inBackup)} ${o.kind}`).join(", ")} objects`
              : ", no objects"}
            .
          </p>
          {plan.overwritesNewerData ? (
            <p className="alert" role="alert">
              The shop recorded events after this backup (the latest at {formatDateTime(plan.latestEventAt)}): restoring loses them.
            </p>
          ) : null}
          <DataTable
            caption="Tables the restore replaces"
            rows={plan.tables}
            rowKey={(t) => `${t.schema}.${t.table}`}
            columns={[
              { key: "table", label: "Table", render: (t) => <code>{`${t.schema}.${t.table}`}</code> },
              { key: "now", label: "Rows now", numeric: true, render: (t) => formatNumber(t.currentRows) },
              { key: "backup", label: "Rows in the backup", numeric: true, render: (t) => formatNumber(t.backupRows) },
            ]}
          />
          <form
            className="form"
            aria-label="Confirm the restore"
            onSubmit={(e) => {
              e.preventDefault();
              if (planned && plan.confirmationToken) restore.mutate({ ...planned, confirmationToken: plan.confirmationToken });
            }}
          >
            <label>
              Type the backup's id to restore it
              <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </label>
            <button type="submit" className="danger" disabled={typed.trim() !== backupId || restore.isPending || !planned}>
              {restore.isPending ? "Restoring…" : "Restore now"}
            </button>
          </form>
        </>
      ) : null}
      {restore.data ? (
        <p className="notice" role="status">
          Restored {formatNumber(restore.data.tables)} tables ({formatNumber(restore.data.rows)} rows).
        </p>
      ) : null}
    </section>
  );
}
