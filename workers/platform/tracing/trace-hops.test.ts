/**
 * Trace context across the queue hop from where requests are not the
 * producer: a job run (its JobRunCompleted, through the Postgres outbox), a
 * Durable Object's own outbox (the cart's ItemAddedToCart, the Inventory
 * object's InventoryUpdated after a restock), the OrderSaga object's events
 * of a checkout, and a consumer handler's events. Each event carries the
 * traceparent of the work that wrote it, and its consumer span is a child of
 * that work's span.
 */
import { createMessageBatch, runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CartCaller } from "../../../durable-objects/cart/cart.ts";
import { UserRegistered } from "../../../queues/contracts/events/user.ts";
import { createQueueHandler } from "../../../queues/index.ts";
import { writeEvent } from "../../../queues/outbox/outbox.ts";
import { ADDRESS, quiesce, shopper, stocked } from "../../../test/checkout/fixtures.ts";
import { testBindings, testEnv, withTestDb } from "../../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../../test/helpers/events.ts";
import { eventually, OPS_TOKEN } from "../../../test/helpers/http.ts";
import { FAMILIES } from "../../families.ts";
import type { Inventory } from "../../inventory/index.ts";
import { runJob } from "../../scheduler/runner.ts";
import { createApp } from "../app.ts";
import { openDb } from "../db.ts";
import type { Envelope } from "../event-envelope.ts";
import { type Job, jobRegistry } from "../job.ts";
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
// Consumers still working on this file's checkout must not outlive it.
afterAll(() => quiesce(), 30_000);

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

/**
 * A request through the gateway on the traced runtime, with a sampled traceparent of its own; the answer's
 * `traceparent` names the request's server span, the one its events must carry.
 */
async function tracedRequest(path: string, init: { method: string; token: string; json?: unknown }) {
  const app = createApp({ families: FAMILIES, relay: () => {}, jobs: jobRegistry([]) });
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} };
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const headers: Record<string, string> = { authorization: `Bearer ${init.token}`, traceparent: `00-${traceId}-1111222233334444-01` };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const res = await app.fetch(
    new Request(`https://api.test${path}`, { method: init.method, headers, body }),
    traced,
    ctx as unknown as ExecutionContext,
  );
  const serverSpan = parseTraceparent(res.headers.get("traceparent"))!;
  expect(serverSpan.traceId).toBe(traceId);
  return { res, traceId, traceparent: `00-${traceId}-${serverSpan.spanId}-01`, serverSpanId: serverSpan.spanId };
}

/** Every event the request with this id wrote to the Postgres outbox. */
const eventsOfRequest = (requestId: string) =>
  withTestDb(async (db) => {
    const r = await db.execute<{ envelope: Envelope }>(
      sql`select envelope from events.outbox where envelope->>'correlationId' = ${requestId} order by seq`,
    );
    return r.rows.map((row) => row.envelope);
  });

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

  it("from the OrderSaga object: a checkout's events carry the trace of the request that caused each", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([1200], 5);
    const placed = await tracedRequest("/api/orders", {
      method: "POST",
      token: user.accessToken,
      json: { shippingAddress: ADDRESS, lines: [{ sku, quantity: 1 }] },
    });
    expect(placed.res.status).toBe(201);
    const orderId = ((await placed.res.json()) as { id: string }).id;
    const created = await eventsOfRequest(placed.res.headers.get("x-request-id")!);
    expect(created.map((e) => e.type)).toContain("OrderCreated");
    for (const e of created) expect(e, e.type).toMatchObject({ traceparent: placed.traceparent });

    const confirmed = await tracedRequest(`/api/orders/${orderId}/confirm?paymentMethodId=pm_card_visa`, {
      method: "PUT",
      token: user.accessToken,
    });
    expect(confirmed.res.status).toBe(200);
    const saga = await eventsOfRequest(confirmed.res.headers.get("x-request-id")!);
    // The saga's own events and the payment's, written by the object for this request.
    expect(saga.map((e) => e.type)).toEqual(expect.arrayContaining(["OrderConfirmed", "PaymentProcessed"]));
    for (const e of saga) expect(e, e.type).toMatchObject({ traceparent: confirmed.traceparent });
    const orderConfirmed = saga.find((e) => e.type === "OrderConfirmed")!;
    expect(await consume(orderConfirmed)).toMatchObject({ traceId: confirmed.traceId, parentSpanId: confirmed.serverSpanId });
  });

  it("from the Inventory object's outbox: a restock's level announcement carries the request's trace", async () => {
    const {
      skus: [sku],
    } = await stocked([800], 5);
    // The outbox keeps its events while the publish fault point holds, so the test reads what the object wrote.
    await injectFault("inventory:publish", sku!, null);
    try {
      const restock = await tracedRequest(`/api/inventory/${sku}/restock`, { method: "POST", token: OPS_TOKEN, json: { quantity: 3 } });
      expect(restock.res.status).toBe(200);
      // The level's envelope is built by the object's alarm, from the level as it then is.
      const level = await eventually(
        async () => {
          const stub = testBindings.INVENTORY.get(testBindings.INVENTORY.idFromName(sku!));
          const rows = await runInDurableObject(stub, (_i, state) =>
            state.storage.sql
              .exec<{ envelope: string | null }>("SELECT envelope FROM outbox WHERE envelope IS NOT NULL")
              .toArray()
              .map((r) => JSON.parse(r.envelope!) as Envelope<{ onHand: number }>),
          );
          return rows.find((e) => e.type === "InventoryUpdated");
        },
        10_000,
        "the restock's InventoryUpdated",
      );
      expect(level).toMatchObject({ payload: { onHand: 8 }, traceparent: restock.traceparent });
      expect(await consume(level)).toMatchObject({ traceId: restock.traceId, parentSpanId: restock.serverSpanId });
    } finally {
      await clearFault("inventory:publish", sku!);
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
