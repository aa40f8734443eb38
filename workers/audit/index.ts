/** Audit: the hash-chained, append-only trail of every event (and of every staff write), its verification, checkpoints and retention. */

import { StaffActionAttempted, StaffActionFailed, StaffActionTaken } from "../../queues/contracts/events/staff.ts";
import { onEvery } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { appendAuditEntry } from "./append.ts";
import { auditConfig } from "./config.ts";
import { AuditErrors } from "./errors.ts";
import { auditRetention, auditVerify } from "./jobs.ts";
import { auditRoutes } from "./routes.ts";
import { recordStaffActions } from "./staff-actions.ts";

export const audit = defineFamily({
  name: "audit",
  schemas: ["audit"],
  config: auditConfig,
  errors: AuditErrors,
  routes: { "/api/audit": auditRoutes },
  jobs: [auditVerify, auditRetention],
  handlers: { audit: [onEvery((event, { tx }) => appendAuditEntry(tx, event))] },
  // Who changed what: every staff write through the API, its attempt before the route and its outcome after.
  gatewayMiddleware: [recordStaffActions],
  contracts: [StaffActionAttempted, StaffActionTaken, StaffActionFailed],
});

// What other families use: the chain's verification and its key (backups verify a restored copy).
export { auditConfig } from "./config.ts";
/** The trail summarised for a period, for the reports family's compliance report. */
export { auditSummary } from "./summary.ts";
export { verifyChain } from "./verify.ts";
