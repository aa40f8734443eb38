/**
 * Daily audit jobs: verify the chain since the last checkpoint and record a
 * new signed checkpoint at the head; then apply the retention policy, which
 * may remove only entries a checkpoint already covers.
 */
import { sql } from "drizzle-orm";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { latestValidCheckpoint, recordCheckpoint } from "./checkpoints.ts";
import { auditConfig } from "./config.ts";
import { verifyChain } from "./verify.ts";

function checkpointKey(rt: Pick<Runtime, "vars">): string {
  const key = auditConfig.read(rt).AUDIT_CHECKPOINT_KEY;
  if (!key) throw new Error("AUDIT_CHECKPOINT_KEY is not configured");
  return key;
}

export const auditVerify: Job = {
  name: "audit-verify",
  description: "Verify the audit hash chain since the last checkpoint and record a signed checkpoint at its head",
  crons: ["17 3 * * *"],
  timeoutMs: 10 * 60_000,
  announceSuccess: true,
  async run({ db, rt }) {
    const key = checkpointKey(rt);
    const last = await latestValidCheckpoint(db, key);
    const result = await verifyChain(db, key, last ? { fromSeq: last.seq + 1 } : {});
    if (!result.ok) throw new Error(`audit chain broken at entry ${result.firstBroken!.seq} (${result.firstBroken!.reason})`);
    if (result.toSeq === null || result.headHash === null) return { checked: 0, checkpoint: last?.id ?? null };
    const checkpoint = await recordCheckpoint(db, key, { seq: result.toSeq, hash: result.headHash, entriesVerified: result.checked });
    return { checked: result.checked, checkpoint: checkpoint.id, seq: checkpoint.seq };
  },
};

/** Retention per event type in days (`default` for the rest), from AUDIT_RETENTION_DAYS. */
export function retentionDays(policy: Record<string, number>, type: string): number {
  return policy[type] ?? policy.default ?? 3650;
}

export const auditRetention: Job = {
  name: "audit-retention",
  description: "Delete audit entries past their type's retention that a checkpoint already covers",
  crons: ["17 3 * * *"],
  timeoutMs: 10 * 60_000,
  announceSuccess: true,
  async run({ db, rt }) {
    const key = checkpointKey(rt);
    const policy = auditConfig.read(rt).AUDIT_RETENTION_DAYS;
    const checkpoint = await latestValidCheckpoint(db, key);
    if (!checkpoint) return { deleted: 0, reason: "no checkpoint yet" };
    const types = Object.entries(policy).filter(([t]) => t !== "default");
    const specific = types.map(([t]) => t);
    let deleted = 0;
    await db.transaction(async (tx) => {
      // The trigger lets deletes through only in this mode and only up to the latest checkpoint.
      await tx.execute(sql`set local audit.retention = 'on'`);
      for (const [type, days] of types) {
        const r = await tx.execute(
          sql`delete from audit.entries where type = ${type} and seq <= ${checkpoint.seq} and occurred_at < now() - make_interval(days => ${days})`,
        );
        deleted += r.rowCount ?? 0;
      }
      const r = await tx.execute(sql`
        delete from audit.entries where seq <= ${checkpoint.seq} and occurred_at < now() - make_interval(days => ${retentionDays(policy, "*")})
        and not (type = any(${sql.param(specific)}::text[]))`);
      deleted += r.rowCount ?? 0;
    });
    return { deleted, upToSeq: checkpoint.seq };
  },
};
