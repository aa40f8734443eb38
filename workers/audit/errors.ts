/** Error codes of the audit family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const AuditErrors = defineErrors({
  /** A staff write whose attempt could not be recorded in the audit trail: refused before the route ran, nothing was done. */
  STAFF_AUDIT_UNAVAILABLE: { status: 503, title: "The audit trail cannot record this action" },
});
