/**
 * Validation and quarantine through the real queues: an event that breaks
 * its contract is parked by the framework, recorded as a dead letter and
 * quarantined with its zod issues; an event of an unknown type is
 * quarantined by the pipeline handler; both are counted; a replay validates
 * again, and after a schema fix the event is loaded.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { withTestDb } from "../../test/helpers/db.ts";
import { probeType } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { deliver, settle } from "../analytics/test-fixtures.ts";
import { defineEvent } from "../platform/event-contracts.ts";
import { newId } from "../platform/ids.ts";

type Quarantined = {
  id: string;
  eventKey: string;
  topic: string;
  type: string;
  origin: string;
  status: string;
  attempts: number;
  seenCount: number;
  reason: string;
  issues: { path: string; code: string }[];
};

async function quarantined(eventKey: string): Promise<Quarantined | undefined> {
  const page = (await (await api("/api/pipeline/quarantine?limit=100")).json()) as { items: Quarantined[] };
  return page.items.find((q) => q.eventKey === eventKey);
}

function stat(topic: string, type: string) {
  return withTestDb(async (db) => {
    const r = await db.execute<{ received: string; valid: string; quarantined: string }>(
      sql`select received, valid, quarantined from pipeline.event_stats where topic = ${topic} and type = ${type}`,
    );
    const row = r.rows[0];
    return { received: Number(row?.received ?? 0), valid: Number(row?.valid ?? 0), quarantined: Number(row?.quarantined ?? 0) };
  });
}

const probe = (type: string, payload: unknown) => {
  const id = newId("evt");
  return {
    id,
    type,
    version: 1,
    topic: "maintenance",
    occurredAt: new Date().toISOString(),
    source: "test",
    subjectId: "probe",
    correlationId: id,
    actor: null,
    payload,
  };
};

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

describe("an event that breaks its contract", () => {
  it("is parked, recorded as a dead letter and quarantined with its issues, counted, and stays quarantined while still invalid", async () => {
    const before = await stat("order", "OrderConfirmed");
    const id = newId("evt");
    const bad = {
      id,
      type: "OrderConfirmed",
      version: 1,
      topic: "order",
      occurredAt: new Date().toISOString(),
      source: "test",
      subjectId: "ord_x",
      correlationId: id,
      actor: null,
      payload: { orderId: "ord_x", orderNumber: "EC-1", userId: "usr_1", totalMinor: -5, currency: "usd" },
    };
    await deliver([bad]);
    const q = await eventually(() => quarantined(id), 15_000, "the quarantine entry");
    expect(q).toMatchObject({ topic: "order", type: "OrderConfirmed", origin: "dead-letter", status: "quarantined", attempts: 0 });
    expect(q.issues.map((i) => i.path).sort()).toEqual(["payload.currency", "payload.totalMinor"]);
    expect(q.reason).toContain("payload breaks OrderConfirmed@1");
    const dead = (await (await api("/api/pipeline/dead-letters?queue=pipeline-events&limit=100")).json()) as {
      items: { messageKey: string }[];
    };
    expect(dead.items.some((d) => d.messageKey === id)).toBe(true);
    expect(await stat("order", "OrderConfirmed")).toEqual({
      received: before.received + 1,
      valid: before.valid,
      quarantined: before.quarantined + 1,
    });

    const replay = await api(`/api/pipeline/quarantine/${q.id}/replay`, { method: "POST" });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: "EVENT_STILL_INVALID", attempts: 1 });
    expect(await quarantined(id)).toMatchObject({ status: "quarantined", attempts: 1 });
    // Delivered again (the producer retried): one entry, seen twice, counted once.
    await deliver([bad]);
    await eventually(async () => ((await quarantined(id))!.seenCount === 2 ? true : undefined), 15_000, "the second sighting");
    expect((await stat("order", "OrderConfirmed")).quarantined).toBe(before.quarantined + 1);
  });

  it("quarantines a body that is not an event at all", async () => {
    const key = `poison-${crypto.randomUUID()}`;
    await deliver([{ id: key, hello: "world" }]);
    const q = await eventually(() => quarantined(key), 15_000, "the quarantine entry");
    expect(q).toMatchObject({ topic: "unknown", type: "unknown", origin: "dead-letter" });
    expect(q.reason).toMatch(/^not an event envelope/);
  });
});

describe("an event of a type without a contract", () => {
  it("is quarantined by the pipeline, and loaded by a replay after the schema is registered", async () => {
    const type = probeType("Quar");
    const good = probe(type, { n: 1 });
    const bad = probe(type, { n: "one" });
    expect(await deliver([good, bad])).toBe(0);
    expect(await stat("maintenance", type)).toEqual({ received: 2, valid: 0, quarantined: 2 });
    const entries = await Promise.all([quarantined(good.id), quarantined(bad.id)]);
    for (const e of entries) expect(e).toMatchObject({ origin: "consumer", status: "quarantined", reason: `no contract for ${type}@1` });

    // Still no contract: nothing is replayed.
    const early = (await (await api("/api/pipeline/quarantine/replay", { method: "POST", json: { type } })).json()) as {
      replayed: string[];
      stillInvalid: unknown[];
    };
    expect(early.replayed).toEqual([]);
    expect(early.stillInvalid).toHaveLength(2);

    // The schema fix: the contract is registered; one event satisfies it, the other does not.
    defineEvent({ type, version: 1, topic: "maintenance", description: "A test probe.", payload: z.object({ n: z.number() }) });
    const result = (await (await api("/api/pipeline/quarantine/replay", { method: "POST", json: { type } })).json()) as {
      replayed: string[];
      stillInvalid: { id: string; reason: string }[];
    };
    expect(result.replayed).toEqual([entries[0]!.id]);
    expect(result.stillInvalid.map((s) => s.id)).toEqual([entries[1]!.id]);
    expect(result.stillInvalid[0]!.reason).toContain(`payload breaks ${type}@1`);
    await eventually(
      async () => ((await stat("maintenance", type)).valid === 1 ? true : undefined),
      15_000,
      "the replayed event to be loaded",
    );
    expect(await quarantined(good.id)).toMatchObject({ status: "replayed", attempts: 2 });
    expect(await quarantined(bad.id)).toMatchObject({ status: "quarantined", attempts: 2 });
    const listed = (await (await api(`/api/pipeline/quarantine?type=${type}&status=replayed`)).json()) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).toEqual([entries[0]!.id]);
  });

  it("is replayed once when two replays race", async () => {
    const type = probeType("Race");
    const event = probe(type, { n: 1 });
    await deliver([event]);
    const q = (await quarantined(event.id))!;
    defineEvent({ type, version: 1, topic: "maintenance", description: "A test probe.", payload: z.object({ n: z.number() }) });
    const statuses = (await Promise.all([1, 2, 3].map(() => api(`/api/pipeline/quarantine/${q.id}/replay`, { method: "POST" }))))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 409, 409]);
    await eventually(
      async () => ((await stat("maintenance", type)).valid === 1 ? true : undefined),
      15_000,
      "the replayed event to be loaded",
    );
    expect((await stat("maintenance", type)).valid).toBe(1);
  });
});

describe("access", () => {
  it("is for admins only", async () => {
    const customer = await registerAndLogin();
    expect((await api("/api/pipeline/quarantine", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/pipeline/stats", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/pipeline/quarantine", { token: null })).status).toBe(401);
    expect((await api("/api/pipeline/quarantine/qtn_nope/replay", { method: "POST" })).status).toBe(422);
    expect((await api(`/api/pipeline/quarantine/${newId("qtn")}/replay`, { method: "POST" })).status).toBe(404);
  });
});
