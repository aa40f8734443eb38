/**
 * Trace context across the queue hop from where requests are not the
 * producer: a job run (its JobRunCompleted, through the Postgres outbox), a
 * Durable Object's own outbox (the cart's ItemAddedToCart), and a consumer
 * handler's events. Each event carries the traceparent of the work that
 * wrote it, and its consumer span is a child of that work's span.
 */
import { createMessageBatch, runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CartCaller } from "../../../durable-objects/cart/cart.ts";
import { UserRegistered } from "../../../queues/contracts/events/user.ts";
import { createQueueHandler } from "../../../queues/index.ts";
import { writeEvent } from "../../../queues/outbox/outbox.ts";
import { testBindings, testEnv, withTestDb } from "../../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../../test/helpers/events.ts";
import { FAMILIES } from "../../families.ts";
import type { Inventory } from "../../inventory/index.ts";
import { runJob } from "../../scheduler/runner.ts";
import { openDb } from "../db.ts";
import type { Envelope } from "../event-envelope.ts";
import type { Job } from "../job.ts";
import type { Runtime } from "../runtime.ts";
import { tracingSettings } from "../tracing-config.ts";
import { startJobTrace } from "./job-tracing.ts";
import type { ExportTraceRequest, OtlpSpan } from "./otlp.ts";
import { traceparentOf } from "./request-tracing.ts";
import { carryTraceparent } from "./trace-carrier.ts";
import { parseTraceparent } from "./trace-context.ts";

const COLLECTOR = "https://collector.test";
let exports: ExportTraceRequest[] = [];
let pending: Promise<unknown>[] = [];

beforeEach(() => {
  exports = [];
  pending = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(COLLECTOR)) return realFetch(input, init);
    exports.push(JSON.parse(String(init?.body)) as ExportTraceRequest);
    return new Response(null, { status: 200 });
  });
});
afterEach(() => vi.restoreAllMocks());

/** Tracing on, every trace sampled; background work collected so the test can wait for the exports. */
const traced: Runtime = Object.create(testEnv, {
  vars: { value: { ...testEnv.vars, OTEL_EXPORTER_OTLP_ENDPOINT: COLLECTOR, TRACE_SAMPLE_RATE: "1" } },
  waitUntil: { value: (p: Promise<unknown>) => void pending.push(p) },
});

async function settled(): Promise<OtlpSpan[]> {
  while (pending.length) await Promise.all(pending.splice(0));
  return exports.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));
}

async function consume(event: Envelope): Promise<OtlpSpan> {
  exports = [];
  const handle = createQueueHandler(FAMILIES, { record: async () => {} });
  await handle(createMessageBatch("pipeline-events", [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }]), traced);
  const spans = await settled();
  const span = spans.find((s) => s.kind === 5 && s.name === `process ${event.type}`);
  expect(span, `the consumer span of ${event.type}`).toBeDefined();
  return span!;
}

describe("trace context across the queue hop", () => {
  it("from a job run: its event carries the run's span, and the consumer continues that trace", async () => {
    const job: Job = {
      name: `trace-test-${crypto.randomUUID().slice(0, 8)}`,
      description: "a job that only announces its run",
      crons: [],
      timeoutMs: 10_000,
      announceSuccess: true,
      run: async () => ({}),
    };
    const run = await runJob(traced, job, { trigger: "manual" });
    expect(run.outcome).toBe("succeeded");
    const jobSpan = (await settled()).find((s) => s.name === `job ${job.name}`);
    expect(jobSpan).toMatchObject({ kind: 1 });
    expect(jobSpan!.parentSpanId ?? "").toBe("");
    const event = await withTestDb(async (db) => {
      const r = await db.execute<{ envelope: Envelope }>(
        sql`select envelope from events.outbox where type = 'JobRunCompleted' and envelope->>'subjectId' = ${run.id}`,
      );
      return r.rows[0]!.envelope;
    });
    expect(event.traceparent).toBe(`00-${jobSpan!.traceId}-${jobSpan!.spanId}-01`);
    expect(await consume(event)).toMatchObject({ traceId: jobSpan!.traceId, parentSpanId: jobSpan!.spanId });
  });

  it("from a Durable Object's outbox: the cart's event carries the request's traceparent", async () => {
    const sku = `TRACE-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    await testEnv.objects
      .get<Inventory>("INVENTORY", sku)
      .restock({ sku, operationId: `in-${sku}`, quantity: 5, actor: { type: "service", id: "ops" } });
    const userId = `usr_trace${crypto.randomUUID().slice(0, 8)}`;
    const id = testBindings.CART.idFromName(`user:${userId}`);
    const stub = testBindings.CART.get(id);
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const requestSpan = "00f067aa0ba902b7";
    const caller: CartCaller = {
      userId,
      actor: { type: "user", id: userId },
      correlationId: "req-trace",
      traceparent: `00-${traceId}-${requestSpan}-01`,
    };
    // The outbox keeps its events while the publish fault point holds, so the test reads what the object wrote.
    await injectFault("cart:publish", id.toString(), null);
    try {
      expect(await stub.add({ sku, quantity: 1, price: { unitPriceMinor: 500, currency: "USD" }, caller })).toMatchObject({ ok: true });
      const [event] = await runInDurableObject(stub, (_i, state) =>
        state.storage.sql
          .exec<{ envelope: string }>("SELECT envelope FROM outbox ORDER BY seq")
          .toArray()
          .map((r) => JSON.parse(r.envelope) as Envelope),
      );
      expect(event).toMatchObject({ type: "ItemAddedToCart", traceparent: caller.traceparent });
      expect(await consume(event!)).toMatchObject({ traceId, parentSpanId: requestSpan });
    } finally {
      await clearFault("cart:publish", id.toString());
    }
  });

  it("from a consumer or a traced job's database: writeEvent takes the traceparent its transaction carries", async () => {
    const input = {
      subjectId: "usr_trace",
      source: "identity",
      correlationId: "trace",
      payload: { userId: "usr_trace", role: "customer" as const, locale: "en", via: "registration" as const, emailVerified: false },
    };
    const handled = `00-${crypto.randomUUID().replaceAll("-", "")}-b7ad6b7169203331-01`;
    // A transaction marked by the consumer (the event it handles): the written event continues that trace.
    let written: Envelope | undefined;
    await withTestDb((db) =>
      db
        .transaction(async (tx) => {
          written = await writeEvent(carryTraceparent(tx, handled), UserRegistered, input);
          tx.rollback();
        })
        .catch(() => undefined),
    );
    expect(written?.traceparent).toBe(handled);
    // A database opened by traced work: its transactions carry the work's trace without being marked.
    const own = `00-${crypto.randomUUID().replaceAll("-", "")}-a1a2a3a4a5a6a7a8-01`;
    const run = startJobTrace(traced, tracingSettings(traced)!, "trace-db", "run_trace");
    const handle = openDb(run.runtime);
    try {
      await handle.db
        .transaction(async (tx) => {
          written = await writeEvent(tx, UserRegistered, input);
          tx.rollback();
        })
        .catch(() => undefined);
    } finally {
      await handle.close();
    }
    expect(parseTraceparent(written?.traceparent)).not.toBeNull();
    expect(written?.traceparent).toBe(traceparentOf(run.runtime));
    // An explicit traceparent (a request's, through eventFrom) wins over the carried one.
    await withTestDb((db) =>
      db
        .transaction(async (tx) => {
          written = await writeEvent(carryTraceparent(tx, handled), UserRegistered, { ...input, traceparent: own });
          tx.rollback();
        })
        .catch(() => undefined),
    );
    expect(written?.traceparent).toBe(own);
  });
});
