/**
 * One Analytics Engine data point per observation, where the runtime has a
 * metrics dataset (production): the registry's counters are per isolate,
 * the dataset is the fleet's truth. The first blob names the observation
 * (`http_request`, `durable_object_call`, `order_confirmed`, ...), the rest
 * are its labels in a fixed order; the doubles are its values
 * (docs/operability.md lists each kind's layout).
 */
import { METRICS_DATASET } from "./metrics.ts";
import type { Runtime } from "./runtime.ts";

export function writeMetricPoint(
  rt: Pick<Runtime, "operability">,
  kind: string,
  labels: readonly string[],
  values: readonly number[],
): void {
  try {
    rt.operability?.metricsDataset(METRICS_DATASET)?.writeDataPoint({
      indexes: [labels[0] ?? kind],
      blobs: [kind, ...labels],
      doubles: [...values],
    });
  } catch {
    // A metrics write is never worth failing the work it describes.
  }
}
