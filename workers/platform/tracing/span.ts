/**
 * The span model and a collector of one unit of work's spans (a request, or
 * a queue batch). Collectors exist only for sampled work: with tracing off
 * or a trace not sampled, nothing here is allocated.
 */

/** OTLP's span kinds (the numbers are the protocol's enum). */
export const SpanKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds. Workers advance the clock only across I/O, so a span of pure computation lasts 0 ms. */
  startMs: number;
  endMs: number | null;
  attributes: Attributes;
  status: "unset" | "ok" | "error";
  statusMessage?: string;
}

/** A bound on one collector's spans: a loop of statements cannot grow memory without end. */
const MAX_SPANS = 512;

export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface SpanStart {
  name: string;
  kind: SpanKind;
  attributes?: Attributes;
  /** Defaults to the collector's trace and root span. */
  traceId?: string;
  parentSpanId?: string | null;
  spanId?: string;
  startMs?: number;
}

export class SpanCollector {
  readonly spans: Span[] = [];
  dropped = 0;

  constructor(
    readonly traceId: string,
    readonly rootSpanId: string | null,
  ) {}

  /** Opens a span; returns null (and counts it) once the collector is full. */
  start(s: SpanStart): Span | null {
    if (this.spans.length >= MAX_SPANS) {
      this.dropped++;
      return null;
    }
    const span: Span = {
      traceId: s.traceId ?? this.traceId,
      spanId: s.spanId ?? randomHex(8),
      parentSpanId: s.parentSpanId === undefined ? this.rootSpanId : s.parentSpanId,
      name: s.name,
      kind: s.kind,
      startMs: s.startMs ?? Date.now(),
      endMs: null,
      attributes: s.attributes ?? {},
      status: "unset",
    };
    this.spans.push(span);
    return span;
  }

  /** Spans still open when the work ends are closed at that moment. */
  finished(): Span[] {
    const now = Date.now();
    for (const span of this.spans) span.endMs ??= now;
    return this.spans;
  }
}

export function endSpan(span: Span | null, error?: unknown): void {
  if (!span) return;
  span.endMs = Date.now();
  if (error !== undefined) {
    span.status = "error";
    span.statusMessage = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);
  }
}

/** Ends `span` when `result` settles (if it is a promise), with an error status on rejection; returns `result` untouched. */
export function endWhenSettled<T>(span: Span | null, result: T): T {
  if (!span) return result;
  const thenable = result as { then?: unknown } | null;
  if (thenable && typeof thenable.then === "function") {
    (result as PromiseLike<unknown>).then(
      () => endSpan(span),
      (err: unknown) => endSpan(span, err),
    );
  } else endSpan(span);
  return result;
}
