/**
 * Tracing end to end, with a fake OTLP collector (the global fetch, which
 * the exporter calls): a request with a sampled traceparent, its event
 * through the outbox and a queue consumer, and the same trace id on both
 * sides of the hop; tracing off and an unsampled trace export nothing.
 */
import { createMessageBatch } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueueHandler } from "../../../queues/index.ts";
import { testEnv, withTestDb } from "../../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../../test/helpers/events.ts";
import { strongPassword, uniqueEmail } from "../../../test/helpers/identity.ts";
import { FAMILIES } from "../../families.ts";
import { createApp } from "../app.ts";
import type { Envelope } from "../event-envelope.ts";
import { jobRegistry } from "../job.ts";
import type { Runtime } from "../runtime.ts";
import { tracingSettings } from "../tracing-config.ts";
import type { ExportTraceRequest, OtlpSpan } from "./otlp.ts";
import { startRequestTrace } from "./request-tracing.ts";

const COLLECTOR = "https://collector.test";
let exports: ExportTraceRequest[] = [];
let pending: Promise<unknown>[] = [];
/** While set, the fake collector holds its answer until the test releases it. */
let collectorAnswer: Promise<Response> | undefined;

beforeEach(() => {
  exports = [];
  pending = [];
  collectorAnswer = undefined;
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(COLLECTOR)) return realFetch(input, init);
    expect(url).toBe(`${COLLECTOR}/v1/traces`);
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    exports.push(JSON.parse(String(init?.body)) as ExportTraceRequest);
    return collectorAnswer ?? new Response(null, { status: 200 });
  });
});
afterEach(() => vi.restoreAllMocks());

/** The test runtime with these vars; background work is collected so a test can wait for the exports. */
function runtimeWith(vars: Record<string, unknown>): Runtime {
  return Object.create(testEnv, {
    vars: { value: { ...testEnv.vars, ...vars } },
    waitUntil: { value: (p: Promise<unknown>) => void pending.push(p) },
  });
}
const TRACING_ON = { OTEL_EXPORTER_OTLP_ENDPOINT: COLLECTOR, OTEL_SERVICE_NAME: "shop-under-test", TRACE_SAMPLE_RATE: "0" };

async function settled(): Promise<void> {
  while (pending.length) await Promise.all(pending.splice(0));
}

const spansOf = (requests: ExportTraceRequest[]): OtlpSpan[] =>
  requests.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));

/** Registers a user through the gateway on `rt`; returns the answer and the envelope of the event it wrote to the outbox. */
async function register(rt: Runtime, traceparent?: string): Promise<{ res: Response; event: Envelope }> {
  const relayed: string[] = [];
  const app = createApp({ families: FAMILIES, relay: (_rt, ids) => relayed.push(...ids), jobs: jobRegistry([]) });
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (traceparent) headers.traceparent = traceparent;
  const body = JSON.stringify({ email: uniqueEmail("trace"), password: strongPassword(), name: "Trace Test" });
  const res = await app.fetch(new Request("https://api.test/api/users/register", { method: "POST", headers, body }), rt, ctx);
  expect(res.status).toBe(201);
  expect(relayed.length).toBeGreaterThan(0);
  const event = await withTestDb(async (db) => {
    const rows = await db.execute<{ envelope: Envelope }>(
      sql`select envelope from events.outbox where id = any(${sql.param(relayed)}::text[]) and type = 'UserRegistered'`,
    );
    return rows.rows[0]!.envelope;
  });
  return { res, event };
}

async function consume(rt: Runtime, event: Envelope): Promise<void> {
  const handle = createQueueHandler(FAMILIES, { record: async () => {} });
  const batch = createMessageBatch("pipeline-events", [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }]);
  await handle(batch, rt);
}

describe("tracing", () => {
  it("follows a sampled request across the queue hop: the consumer span has the request's trace id", async () => {
    const rt = runtimeWith(TRACING_ON);
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const callerSpan = "b7ad6b7169203331";
    const { res, event } = await register(rt, `00-${traceId}-${callerSpan}-01`);
    const answered = res.headers.get("traceparent")!;
    expect(answered).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const serverSpanId = answered.split("-")[2]!;
    // The event carries the request's span, sampled.
    expect(event.traceparent).toBe(answered);
    await settled();

    expect(exports).toHaveLength(1);
    expect(exports[0]!.resourceSpans[0]!.resource.attributes).toContainEqual({
      key: "service.name",
      value: { stringValue: "shop-under-test" },
    });
    const requestSpans = spansOf(exports);
    const server = requestSpans.find((s) => s.kind === 2)!;
    expect(server).toMatchObject({ traceId, spanId: serverSpanId, parentSpanId: callerSpan, name: "POST /api/users/register" });
    expect(server.attributes).toContainEqual({ key: "http.response.status_code", value: { intValue: "201" } });
    // The registration's database work: its transaction is a child span of the request.
    const transaction = requestSpans.find((s) => s.name === "transaction");
    expect(transaction).toMatchObject({ traceId, parentSpanId: serverSpanId, kind: 3 });
    expect(requestSpans.every((s) => s.traceId === traceId)).toBe(true);

    exports = [];
    await consume(rt, event);
    await settled();
    const consumerSpans = spansOf(exports);
    expect(consumerSpans).toHaveLength(1);
    expect(consumerSpans[0]).toMatchObject({ traceId, parentSpanId: serverSpanId, kind: 5, name: "process UserRegistered" });
    expect(consumerSpans[0]!.attributes).toContainEqual({ key: "messaging.message.id", value: { stringValue: event.id } });
    expect(consumerSpans[0]!.status.code).toBe(0);
  });

  it("answers without waiting for the collector, and a failed export is not the request's error", async () => {
    const rt = runtimeWith(TRACING_ON);
    let answer!: (res: Response) => void;
    collectorAnswer = new Promise((resolve) => {
      answer = resolve;
    });
    const { res } = await register(rt, `00-${crypto.randomUUID().replaceAll("-", "")}-b7ad6b7169203331-01`);
    // The answer is complete while the export is still waiting for the collector.
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    expect(exports).toHaveLength(1);
    expect(pending.length).toBeGreaterThan(0);
    answer(new Response("down", { status: 503 }));
    await expect(settled()).resolves.toBeUndefined();
  });

  it("marks the consumer span of a retried message as an error", async () => {
    const rt = runtimeWith(TRACING_ON);
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const { event } = await register(rt, `00-${traceId}-b7ad6b7169203331-01`);
    await settled();
    exports = [];
    await injectFault("consumer:pipeline", event.id, 1);
    try {
      await consume(rt, event);
    } finally {
      await clearFault("consumer:pipeline", event.id);
    }
    await settled();
    const [span] = spansOf(exports);
    expect(span).toMatchObject({ traceId, kind: 5, status: { code: 2 } });
  });

  it("starts an unsampled trace when no traceparent comes in and the rate says no", async () => {
    const rt = runtimeWith(TRACING_ON);
    const { res, event } = await register(rt);
    expect(res.headers.get("traceparent")).toMatch(/-00$/);
    expect(event.traceparent).toBe(res.headers.get("traceparent"));
    await settled();
    expect(exports).toEqual([]);
  });

  it("records a client span per Durable Object call", async () => {
    const rt = runtimeWith(TRACING_ON);
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const ids = { traceId, spanId: "1111111111111111", parentId: "2222222222222222", flags: "01" };
    const tracing = startRequestTrace(rt, tracingSettings(rt)!, ids, "GET", "/x");
    const lease = tracing.runtime.objects.get<import("../../../durable-objects/job-lease/job-lease.ts").JobLease>(
      "JOB_LEASE",
      "trace-test",
    );
    expect(await lease.ping()).toMatchObject({ ok: true });
    tracing.finish("/x", 200);
    await settled();
    const call = spansOf(exports).find((s) => s.name === "JOB_LEASE.ping");
    expect(call).toMatchObject({ traceId, parentSpanId: "1111111111111111", kind: 3 });
  });

  it("exports nothing for an unsampled trace, and passes the decision on to the event and its consumer", async () => {
    const rt = runtimeWith({ ...TRACING_ON, TRACE_SAMPLE_RATE: "1" });
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const { res, event } = await register(rt, `00-${traceId}-b7ad6b7169203331-00`);
    expect(res.headers.get("traceparent")).toMatch(/-00$/);
    expect(event.traceparent).toBe(res.headers.get("traceparent"));
    await consume(rt, event);
    await settled();
    // The consumer honours the request's decision even at a sample rate of 1.
    expect(exports).toEqual([]);
  });

  it("with no endpoint (off, the default) builds no trace and exports nothing", async () => {
    const rt = runtimeWith({ TRACE_SAMPLE_RATE: "1" });
    expect(tracingSettings(rt)).toBeUndefined();
    const { event } = await register(rt, `00-${crypto.randomUUID().replaceAll("-", "")}-b7ad6b7169203331-01`);
    expect(event).not.toHaveProperty("traceparent");
    await consume(rt, event);
    await settled();
    expect(exports).toEqual([]);
    expect(vi.mocked(globalThis.fetch).mock.calls.some(([input]) => String(input).startsWith(COLLECTOR))).toBe(false);
  });
});
