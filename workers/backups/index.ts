/**
 * Backups: every byte of business state saved to R2 on a schedule (every
 * family's tables from one Postgres snapshot, every Durable Object of
 * record), with manifests and checksums, optional encryption, GFS
 * retention, validation and restore (dry run, then confirmed), and a daily
 * restore drill. Runbook: docs/backups.md.
 */
import { defineFamily } from "../platform/family.ts";
import { backupsConfig } from "./config.ts";
import { BackupErrors } from "./errors.ts";
import { backupDrill, backupFull, backupIncremental, backupPrune } from "./jobs.ts";
import { backupRoutes } from "./routes.ts";

export const backups = defineFamily({
  name: "backups",
  schemas: ["backups"],
  routes: { "/api/backups": backupRoutes },
  errors: BackupErrors,
  config: backupsConfig,
  jobs: [backupFull, backupIncremental, backupDrill, backupPrune],
});

// What other families use: the newest drill's outcome (the health check).
export { latestDrill } from "./drill-status.ts";
