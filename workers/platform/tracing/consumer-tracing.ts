/**
 * Tracing of a queue consumer batch: one consumer span per message, a child
 * of the span that caused its event (the envelope's `traceparent`), so the
 * message's processing sits in the same trace as the request that emitted
 * it. A batch mixes traces, so spans rather than links: each trace keeps its
 * own complete tree. An event without a traceparent starts a trace here,
 * sampled at the configured rate. One export per batch.
 */
import { exportInBackground, type TracingSettings } from "./exporter.ts";
import { shouldSample } from "./sampler.ts";
import { randomHex, type Span, SpanCollector, SpanKind } from "./span.ts";
import { parseTraceparent } from "./trace-context.ts";

/** The envelope fields tracing reads (event-envelope.ts). */
interface TracedEvent {
  id: string;
  type: string;
  correlationId: string;
  traceparent?: string;
}

export interface BatchTracing {
  /** Opens the consumer span of one event; null when its trace is not sampled. */
  messageSpan(event: TracedEvent, queue: string, group: string, attempts: number): Span | null;
  /** Exports the batch's spans in the background. */
  finish(): void;
}

/** Called only with tracing on (`settings` from the platform's configuration): off, the consumer builds nothing. */
export function startBatchTrace(rt: { waitUntil(p: Promise<unknown>): void }, settings: TracingSettings): BatchTracing {
  const startMs = Date.now();
  const collector = new SpanCollector("", null);
  return {
    messageSpan(event, queue, group, attempts) {
      const parent = parseTraceparent(event.traceparent);
      const traceId = parent?.traceId ?? randomHex(16);
      if (!shouldSample(traceId, parent?.flags ?? null, settings.sampleRate)) return null;
      return collector.start({
        name: `process ${event.type}`,
        kind: SpanKind.consumer,
        traceId,
        parentSpanId: parent?.spanId ?? null,
        startMs,
        attributes: {
          "messaging.system": "cloudflare_queues",
          "messaging.operation.type": "process",
          "messaging.destination.name": queue,
          "messaging.consumer.group.name": group,
          "messaging.message.id": event.id,
          "messaging.batch.message_count": 1,
          "event.type": event.type,
          "event.correlation_id": event.correlationId,
          "delivery.attempts": attempts,
        },
      });
    },
    finish() {
      exportInBackground(rt, settings, collector);
    },
  };
}
