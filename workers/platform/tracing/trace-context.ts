/** W3C trace context (`traceparent`): parsing and formatting, nothing else. */

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface ParentContext {
  traceId: string;
  spanId: string;
  flags: string;
}

/** A valid version-00 traceparent's fields; null for anything else (all-zero ids included). */
export function parseTraceparent(header: string | undefined | null): ParentContext | null {
  const m = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return null;
  return { traceId: m[1]!, spanId: m[2]!, flags: m[3]! };
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}
