/**
 * Posts finished spans to an OTLP/HTTP collector. Always in the
 * background (the runtime port's waitUntil), after the answer or the batch:
 * a slow or absent collector costs the user nothing, and a failed export is
 * a log line, never an error of the work it describes.
 */
import { encodeTraces } from "./otlp.ts";
import type { SpanCollector } from "./span.ts";

const EXPORT_TIMEOUT_MS = 5000;

/** Tracing's settings, from the platform's configuration (config.ts `tracingSettings`). */
export interface TracingSettings {
  /** OTLP/HTTP base URL, without a trailing slash. */
  endpoint: string;
  headers: Record<string, string>;
  serviceName: string;
  sampleRate: number;
  /** Where a failed export is reported (the platform's log). */
  warn(message: string, fields: Record<string, unknown>): void;
}

export async function exportSpans(settings: TracingSettings, collector: SpanCollector): Promise<void> {
  const spans = collector.finished();
  if (spans.length === 0) return;
  const body = JSON.stringify(encodeTraces(spans, { "service.name": settings.serviceName }));
  try {
    // The global fetch at call time: a test's fake collector stands in for it.
    const res = await fetch(`${settings.endpoint}/v1/traces`, {
      method: "POST",
      headers: { ...settings.headers, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) settings.warn("tracing.export_failed", { status: res.status, spans: spans.length });
  } catch (err) {
    settings.warn("tracing.export_failed", { error: err instanceof Error ? err.message : String(err), spans: spans.length });
  }
}

/** Sends the collector's spans after the work, through the runtime's background-work function. */
export function exportInBackground(
  rt: { waitUntil(p: Promise<unknown>): void },
  settings: TracingSettings,
  collector: SpanCollector,
): void {
  rt.waitUntil(exportSpans(settings, collector));
}
