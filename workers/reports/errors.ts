/** Error codes of the reports family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const ReportErrors = defineErrors({
  REPORT_NOT_ALLOWED: { status: 403, title: "Report not allowed for this role" },
  REPORT_LINK_INVALID: { status: 403, title: "Download link invalid or expired" },
  REPORT_NOT_READY: { status: 409, title: "Report not ready" },
  REPORT_PURGED: { status: 410, title: "Report files removed by retention" },
});
