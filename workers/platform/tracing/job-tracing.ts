/**
 * Tracing of a job run: a root span per run (`job <name>`), sampled at the
 * configured rate, and a runtime carrying the run's trace state, so its
 * database statements get spans and the events it writes (JobRunCompleted,
 * and whatever the job emits) carry its traceparent across the queue hop.
 */
import { exportInBackground, type TracingSettings } from "./exporter.ts";
import { type TracedRuntime, withTraceState } from "./request-tracing.ts";
import { shouldSample } from "./sampler.ts";
import { endSpan, randomHex, SpanCollector, SpanKind } from "./span.ts";
import { formatTraceparent } from "./trace-context.ts";

export interface JobTracing<R> {
  runtime: R;
  finish(outcome: string): void;
}

export function startJobTrace<R extends TracedRuntime>(rt: R, settings: TracingSettings, job: string, runId: string): JobTracing<R> {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  const sampled = shouldSample(traceId, null, settings.sampleRate);
  const collector = sampled ? new SpanCollector(traceId, spanId) : null;
  const span =
    collector?.start({
      name: `job ${job}`,
      kind: SpanKind.internal,
      spanId,
      parentSpanId: null,
      attributes: { "job.name": job, "job.run_id": runId },
    }) ?? null;
  return {
    runtime: withTraceState(rt, { traceparent: formatTraceparent(traceId, spanId, sampled), collector }),
    finish(outcome) {
      if (!collector || !span) return;
      span.attributes["job.outcome"] = outcome;
      if (outcome === "failed") span.status = "error";
      endSpan(span);
      exportInBackground(rt, settings, collector);
    },
  };
}
