/**
 * The OTLP/HTTP JSON encoding of spans (opentelemetry-proto's
 * ExportTraceServiceRequest): one ResourceSpans carrying `service.name`,
 * one ScopeSpans, ids as hex strings and times as decimal nanosecond
 * strings, as the protocol's JSON mapping requires.
 */
import type { Attributes, AttributeValue, Span } from "./span.ts";

const SCOPE = { name: "edge-commerce.platform.tracing", version: "1" };
const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
}

export interface ExportTraceRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

function anyValue(v: AttributeValue): AnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  // 64-bit integers are strings in OTLP JSON.
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

function keyValues(attributes: Attributes): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Epoch milliseconds to the protocol's nanoseconds, without losing precision above 2^53. */
function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function encodeSpan(span: Span): OtlpSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(span.endMs ?? span.startMs),
    attributes: keyValues(span.attributes),
    status: { code: STATUS_CODE[span.status], ...(span.statusMessage ? { message: span.statusMessage } : {}) },
  };
}

export function encodeTraces(spans: readonly Span[], resource: Attributes): ExportTraceRequest {
  return {
    resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: SCOPE, spans: spans.map(encodeSpan) }] }],
  };
}
