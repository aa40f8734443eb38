/** Error codes of the monitoring family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const MonitoringErrors = defineErrors({
  /** A drill's `X-Fault-Inject: error` (development and tests only): the route did nothing. */
  FAULT_INJECTED: { status: 503, title: "Fault injected" },
});
