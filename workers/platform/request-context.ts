/**
 * Request id and W3C trace context for every request, one JSON log line per
 * request, and the request's database closed when the response is done.
 */
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { platformConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { newId } from "./ids.ts";
import type { JobRegistry } from "./job.ts";
import { log } from "./log.ts";
import { answeredStatus } from "./prepared-upgrade.ts";
import { countingObjects } from "./request-cost.ts";
import { recordRequest } from "./request-metrics.ts";
import type { Runtime } from "./runtime.ts";
import { newRequestCost, serverTiming } from "./server-timing.ts";

import { startRequestTrace } from "./tracing/request-tracing.ts";
import { randomHex } from "./tracing/span.ts";
import { parseTraceparent } from "./tracing/trace-context.ts";
import { tracingSettings } from "./tracing-config.ts";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface TraceContext {
  traceId: string;
  parentId: string | null;
  spanId: string;
  flags: string;
}

/** Continues an incoming trace (new span, same trace id) or starts a new one. */
export function traceFrom(header: string | undefined): TraceContext {
  const parent = parseTraceparent(header);
  return parent
    ? { traceId: parent.traceId, parentId: parent.spanId, spanId: randomHex(8), flags: parent.flags }
    : { traceId: randomHex(16), parentId: null, spanId: randomHex(8), flags: "01" };
}

/** Whether to count the request's round trips; a broken configuration is the config gate's to answer, after the ids are set. */
function costHeadersOn(rt: Runtime): boolean {
  try {
    return platformConfig.read(rt).COST_HEADERS === "on";
  } catch {
    return false;
  }
}

/** What every request's context carries besides its ids: the publishing strategy and the job registry. */
export interface RequestContextOptions {
  relay: (rt: Runtime, eventIds: string[]) => void;
  jobs: JobRegistry;
}

export const requestContext = ({ relay, jobs }: RequestContextOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newId("req");
    const trace = traceFrom(c.req.header("traceparent"));
    c.set("requestId", requestId);
    c.set("traceId", trace.traceId);
    c.set("spanId", trace.spanId);
    // Tracing on (docs/operability.md): the sampling decision becomes the answered flags, the runtime carries the trace.
    const tracingOn = tracingSettings(c.env);
    const tracing = tracingOn && startRequestTrace(c.env, tracingOn, trace, c.req.method, c.req.path);
    if (tracing) {
      trace.flags = tracing.flags;
      c.env = tracing.runtime;
    }
    c.set("principal", null);
    c.set("afterCommit", (ids) => relay(c.env, ids));
    c.set("jobs", jobs);
    const cost = costHeadersOn(c.env) ? newRequestCost() : undefined;
    c.set("cost", cost);
    if (cost) c.env = countingObjects(c.env, cost);
    try {
      await next();
    } finally {
      c.header("x-request-id", requestId);
      c.header("traceparent", `00-${trace.traceId}-${trace.spanId}-${trace.flags}`);
      const handle = c.get("dbHandle");
      if (cost) {
        cost.sessions = handle?.sessions() ?? 0;
        c.header("server-timing", serverTiming(cost), { append: true });
      }
      if (handle) {
        try {
          c.executionCtx.waitUntil(handle.close());
        } catch {
          await handle.close();
        }
      }
      const route = routePath(c, -1);
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      // A WebSocket upgrade the entry makes after the gateway (Deno) is logged and counted as the 101 it becomes.
      const status = answeredStatus(c.res);
      recordRequest(c.env, c.req.method, route, status, durationMs);
      tracing?.finish(route, status);
      log.info("request", {
        method: c.req.method,
        route,
        path: c.req.path,
        status,
        durationMs,
        requestId,
        traceId: trace.traceId,
        userId: c.get("principal")?.id ?? null,
      });
    }
  });
