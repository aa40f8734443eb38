/**
 * The consumer framework through the real queues: a duplicated delivery has
 * one effect; a failing handler is retried, lands in the dead-letter queue
 * after max retries, and a replay delivers it again; poison is parked.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testBindings } from "../test/helpers/db.ts";
import { clearFault, injectFault, probeType, processedBy, statReceived } from "../test/helpers/events.ts";
import { api, eventually } from "../test/helpers/http.ts";
import worker from "../workers/index.ts";
import type { Envelope } from "../workers/platform/event-envelope.ts";
import { newId } from "../workers/platform/ids.ts";
import { retryDelaySeconds } from "./consumer-framework.ts";

function probeEvent(type: string): Envelope {
  const id = newId("evt");
  return {
    id,
    type,
    version: 1,
    topic: "maintenance",
    occurredAt: new Date().toISOString(),
    source: "test",
    subjectId: "subject-1",
    correlationId: id,
    actor: null,
    payload: { n: 1 },
  };
}

type DeadLetter = {
  id: string;
  queue: string;
  messageKey: string;
  eventType: string | null;
  body: unknown;
  reason: string;
  status: string;
  replayCount: number;
};

async function deadLetterFor(key: string): Promise<DeadLetter | undefined> {
  const res = await api("/api/pipeline/dead-letters?queue=pipeline-events&limit=100");
  const page = (await res.json()) as { items: DeadLetter[] };
  return page.items.find((d) => d.messageKey === key);
}

async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testBindings, ctx);
  return getQueueResult(batch, ctx);
}

describe("consumer idempotency", () => {
  it("gives a duplicated delivery one effect, also when the copies race", async () => {
    const type = probeType("Dup");
    const event = probeEvent(type);
    // The same event twice in one batch, and in two batches processed concurrently.
    const [first, second] = await Promise.all([deliver("pipeline-events", [event, event]), deliver("pipeline-events", [event])]);
    expect(first.explicitAcks).toHaveLength(2);
    expect(second.explicitAcks).toHaveLength(1);
    expect(await statReceived("maintenance", type)).toBe(1);
    // And a later redelivery through the real queue changes nothing either.
    await testBindings.Q_PIPELINE.send(event, { contentType: "json" });
    const marker = probeEvent(type);
    await testBindings.Q_PIPELINE.send(marker, { contentType: "json" });
    await eventually(async () => ((await processedBy("pipeline", marker.id)) ? true : undefined), 15_000, "marker processed");
    expect(await statReceived("maintenance", type)).toBe(2);
  });
});

describe("batches", () => {
  it("keeps the effects of the good events of a batch when one event's handler fails", async () => {
    const type = probeType("Batch");
    const good = [probeEvent(type), probeEvent(type)];
    // Postgres refuses a NUL character in jsonb: the audit handler fails on this event only.
    const bad = { ...probeEvent(type), payload: { text: "nul \u0000 here" } };
    const batch = createMessageBatch(
      "audit-events",
      [good[0], bad, good[1]].map((body, i) => ({ id: `m${i}`, timestamp: Date.now(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, testBindings, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    for (const e of good) expect(await processedBy("audit", e.id)).toBe(true);
    expect(await processedBy("audit", bad.id)).toBe(false);
    const verify = (await (await api("/api/audit/verify", { method: "POST", json: {} })).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
  });
});

describe("retries and dead letters", () => {
  it("retries a failing handler with exponential backoff", async () => {
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 5))).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30, 5)).toBe(900);
    expect(retryDelaySeconds(3, 0)).toBe(0);

    const type = probeType("Retry");
    const event = probeEvent(type);
    await injectFault("consumer:pipeline", event.id, 1);
    const failed = await deliver("pipeline-events", [event]);
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.explicitAcks).toHaveLength(0);
    expect(await statReceived("maintenance", type)).toBe(0);

    const ok = await deliver("pipeline-events", [event], 2);
    expect(ok.explicitAcks).toHaveLength(1);
    expect(await statReceived("maintenance", type)).toBe(1);
  });

  it("lands in the dead-letter queue after max retries, and a replay delivers it again", async () => {
    const type = probeType("Dead");
    const event = probeEvent(type);
    await injectFault("consumer:pipeline", event.id, null);
    await testBindings.Q_PIPELINE.send(event, { contentType: "json" });

    const parked = await eventually(() => deadLetterFor(event.id), 20_000, "the dead letter to be recorded");
    expect(parked).toMatchObject({ queue: "pipeline-events", eventType: type, status: "parked", body: event });
    expect(parked.reason).toContain("retry limit");
    expect(await processedBy("pipeline", event.id)).toBe(false);

    // The fault is fixed; the operator replays.
    await clearFault("consumer:pipeline", event.id);
    const replay = await api(`/api/pipeline/dead-letters/${parked.id}/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as DeadLetter).status).toBe("replayed");
    await eventually(
      async () => ((await processedBy("pipeline", event.id)) ? true : undefined),
      15_000,
      "the replayed event to be processed",
    );
    expect(await statReceived("maintenance", type)).toBe(1);

    const again = await api(`/api/pipeline/dead-letters/${parked.id}/replay`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe("DEAD_LETTER_ALREADY_REPLAYED");
  });

  it("parks a message that is not an event at once, without retries", async () => {
    const messageId = `poison-${crypto.randomUUID()}`;
    const batch = createMessageBatch("pipeline-events", [{ id: messageId, timestamp: Date.now(), attempts: 1, body: { hello: "world" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testBindings, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([messageId]);
    expect(result.retryMessages).toHaveLength(0);
    const parked = await eventually(() => deadLetterFor(messageId), 15_000, "the poison message to be parked");
    expect(parked.reason).toMatch(/^not an event envelope/);
    expect(parked.body).toEqual({ hello: "world" });
  });

  it("parks an event whose payload breaks its registered contract", async () => {
    const id = newId("evt");
    const bad = {
      id,
      type: "JobRunCompleted",
      version: 1,
      topic: "maintenance",
      occurredAt: new Date().toISOString(),
      source: "test",
      subjectId: "run",
      correlationId: id,
      actor: null,
      payload: { runId: 42 },
    };
    await deliver("pipeline-events", [bad]);
    const parked = await eventually(() => deadLetterFor(id), 15_000, "the invalid event to be parked");
    expect(parked.reason).toContain("payload breaks JobRunCompleted@1");
  });

  it("lists dead letters with a cursor and filters", async () => {
    const first = await api("/api/pipeline/dead-letters?limit=1&status=parked");
    const page1 = (await first.json()) as { items: DeadLetter[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await (await api(`/api/pipeline/dead-letters?limit=1&status=parked&cursor=${page1.nextCursor}`)).json()) as {
      items: DeadLetter[];
    };
    expect(page2.items[0]!.id < page1.items[0]!.id).toBe(true);
  });
});
