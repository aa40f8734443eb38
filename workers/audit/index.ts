/** Audit: the hash-chained, append-only trail of every event, its verification, checkpoints and retention. */
import { defineFamily } from "../platform/family.ts";
import { auditConfig } from "./config.ts";
import { onEvery } from "../platform/events/handlers.ts";
import { appendAuditEntry } from "./append.ts";
import { auditRetention, auditVerify } from "./jobs.ts";
import { auditRoutes } from "./routes.ts";

export const audit = defineFamily({
  name: "audit",
  config: auditConfig,
  routes: { "/api/audit": auditRoutes },
  jobs: [auditVerify, auditRetention],
  handlers: { audit: [onEvery((event, { tx }) => appendAuditEntry(tx, event))] },
});
