/**
 * Tracing's settings from the platform's configuration. The tracing module
 * itself (./tracing/) imports nothing of the platform, so the platform reads
 * the settings here and hands them in.
 */
import { platformConfig } from "./config.ts";
import { log } from "./log.ts";
import type { Runtime } from "./runtime.ts";
import type { TracingSettings } from "./tracing/exporter.ts";

const warn = (message: string, fields: Record<string, unknown>) => log.warn(message, fields);

/** Undefined when tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT) or the configuration is broken (the config gate answers that). */
export function tracingSettings(rt: Pick<Runtime, "vars">): TracingSettings | undefined {
  let config: ReturnType<typeof platformConfig.read>;
  try {
    config = platformConfig.read(rt);
  } catch {
    return undefined;
  }
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ""),
    headers: config.OTEL_EXPORTER_OTLP_HEADERS,
    serviceName: config.OTEL_SERVICE_NAME,
    sampleRate: config.TRACE_SAMPLE_RATE,
    warn,
  };
}
