/**
 * Metrics per Durable Object class. Calls are counted where they are made
 * (the objects port of every runtime, by binding and method); storage
 * writes and alarm lag where they happen, inside the object, by wrapping
 * its state before the class sees it (`observedObject` in
 * observed-object.ts, applied where the Worker exports the classes). Each observation also goes to Analytics
 * Engine where the runtime has the dataset, since in production an object
 * runs in an isolate of its own.
 */
import { writeMetricPoint } from "../metric-points.ts";
import { counter, histogram } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";

const objectCallsTotal = counter("durable_object_calls_total", "Calls to Durable Objects by class (binding) and method");
export const storageWrites = counter(
  "durable_object_storage_writes_total",
  "Durable Object storage writes by class: keys put or deleted, SQL statements that write, alarms set",
);
export const alarmLag = histogram(
  "durable_object_alarm_lag_seconds",
  "Seconds from the time an alarm was set for to its run, by class",
  [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
);

/** Counts one call through the objects port (the call itself is unchanged). */
export function countObjectCall(rt: Pick<Runtime, "operability">, namespace: string, method: string): void {
  objectCallsTotal.inc({ class: namespace, method });
  writeMetricPoint(rt, "durable_object_call", [namespace, method], [1]);
}
