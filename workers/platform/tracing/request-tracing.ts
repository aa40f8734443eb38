/**
 * Tracing of one request: the sampling decision, the server span, a span per
 * Durable Object call, and the trace state the request's runtime carries so
 * the database port and the event scope find it without new parameters.
 * With tracing off the gateway never calls it, and nothing is built.
 */
import { exportInBackground, type TracingSettings } from "./exporter.ts";
import { observingObjects } from "./observed-objects.ts";
import { shouldSample } from "./sampler.ts";
import { endSpan, endWhenSettled, type Span, SpanCollector, SpanKind } from "./span.ts";
import { formatTraceparent } from "./trace-context.ts";

/** What a traced unit of work's runtime carries. */
export interface TraceState {
  /** Passed on to what the work causes (events): this span and the sampling decision. */
  traceparent: string;
  /** Null when the trace is not sampled: the decision still travels, no span is recorded. */
  collector: SpanCollector | null;
}

const TRACE_STATE = Symbol("traceState");
type Carrier = { [TRACE_STATE]?: TraceState };

/** What tracing needs of a runtime (the platform's Runtime has it all). */
export interface TracedRuntime {
  readonly objects: { get(namespace: string, name: string): unknown; has(namespace: string): boolean };
  waitUntil(p: Promise<unknown>): void;
}

export function withTraceState<R extends TracedRuntime>(rt: R, state: TraceState): R {
  const carrier: R = Object.create(rt);
  Object.defineProperty(carrier, TRACE_STATE, { value: state });
  return carrier;
}

/** The traceparent events caused by this runtime's work carry; undefined with tracing off. */
export function traceparentOf(rt: object): string | undefined {
  return (rt as Carrier)[TRACE_STATE]?.traceparent;
}

/** The span collector of this runtime's work, when it is traced and sampled. */
export function spanCollectorOf(rt: object): SpanCollector | undefined {
  return (rt as Carrier)[TRACE_STATE]?.collector ?? undefined;
}

/** A span per object call, a client span named for the namespace and method. */
function tracingObjects<R extends TracedRuntime>(rt: R, collector: SpanCollector): R {
  return observingObjects(rt, (namespace, method, call) => {
    const span = collector.start({
      name: `${namespace}.${method}`,
      kind: SpanKind.client,
      attributes: { "rpc.system": "cloudflare_durable_objects", "rpc.service": namespace, "rpc.method": method },
    });
    try {
      return endWhenSettled(span, call());
    } catch (err) {
      endSpan(span, err);
      throw err;
    }
  });
}

/** The request's trace ids as the gateway chose them (request-context.ts `traceFrom`). */
export interface RequestTraceIds {
  traceId: string;
  spanId: string;
  /** The caller's span, when a traceparent came in. */
  parentId: string | null;
  flags: string;
}

export interface RequestTracing<R> {
  /** The trace flags to answer: the sampling decision. */
  flags: string;
  /** The request's runtime: carries the trace state and, when sampled, traces object calls. */
  runtime: R;
  /** Ends the server span and exports the request's spans in the background. */
  finish(route: string, status: number): void;
}

/** Starts a request's trace with tracing on (`settings` from the platform's configuration). */
export function startRequestTrace<R extends TracedRuntime>(
  rt: R,
  settings: TracingSettings,
  ids: RequestTraceIds,
  method: string,
  path: string,
): RequestTracing<R> {
  const sampled = shouldSample(ids.traceId, ids.parentId ? ids.flags : null, settings.sampleRate);
  const collector = sampled ? new SpanCollector(ids.traceId, ids.spanId) : null;
  const server: Span | null =
    collector?.start({
      name: method,
      kind: SpanKind.server,
      spanId: ids.spanId,
      parentSpanId: ids.parentId,
      attributes: { "http.request.method": method, "url.path": path },
    }) ?? null;
  const state: TraceState = { traceparent: formatTraceparent(ids.traceId, ids.spanId, sampled), collector };
  const carrier = withTraceState(rt, state);
  return {
    flags: sampled ? "01" : "00",
    runtime: collector ? tracingObjects(carrier, collector) : carrier,
    finish(route, status) {
      if (!collector || !server) return;
      // OpenTelemetry's HTTP server span name: the method and the route template, never the raw path.
      server.name = `${method} ${route}`;
      server.attributes["http.route"] = route;
      server.attributes["http.response.status_code"] = status;
      endSpan(server);
      if (status >= 500) server.status = "error";
      exportInBackground(rt, settings, collector);
    },
  };
}
