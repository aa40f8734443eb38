/** /api/pipeline/stats: counts per topic and type, and the lag of the last event, the largest, and the p95 over a window. */
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { probeType } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { deliver, settle } from "../analytics/test-fixtures.ts";
import { buildEvent, defineEvent } from "../platform/event-contracts.ts";

type Stat = {
  topic: string;
  type: string;
  received: number;
  valid: number;
  quarantined: number;
  lastLagMs: number;
  maxLagMs: number;
  p95LagMs: number;
  windowReceived: number;
};

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

describe("pipeline statistics", () => {
  it("count valid and quarantined events and measure their lag", async () => {
    const type = probeType("Lag");
    const contract = defineEvent({
      type,
      version: 1,
      topic: "maintenance",
      description: "A test probe.",
      payload: z.object({ n: z.number() }),
    });
    const at = (agoMs: number) =>
      buildEvent(contract, {
        subjectId: "s",
        source: "test",
        correlationId: "c",
        payload: { n: 1 },
        occurredAt: new Date(Date.now() - agoMs),
      });
    // Nineteen events two seconds late, one an hour late (delivered first), and one that breaks the contract.
    expect(await deliver([at(3_600_000), ...Array.from({ length: 19 }, () => at(2_000))])).toBe(0);
    const invalid = { ...at(0), payload: { n: "x" } };
    await deliver([invalid]);
    await eventually(
      async () => {
        const page = (await (await api(`/api/pipeline/quarantine?type=${type}`)).json()) as { items: { eventKey: string }[] };
        return page.items.some((q) => q.eventKey === invalid.id) ? true : undefined;
      },
      15_000,
      "the invalid event in quarantine",
    );
    const res = await api("/api/pipeline/stats?windowMinutes=5");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { windowMinutes: number; items: Stat[] };
    expect(body.windowMinutes).toBe(5);
    const stat = body.items.find((s) => s.type === type)!;
    expect(stat).toMatchObject({ topic: "maintenance", received: 21, valid: 20, quarantined: 1, windowReceived: 20 });
    expect(stat.maxLagMs).toBeGreaterThanOrEqual(3_600_000);
    expect(stat.lastLagMs).toBeGreaterThanOrEqual(2_000);
    expect(stat.lastLagMs).toBeLessThan(3_600_000);
    // The p95 is the bucket of the nineteenth-smallest lag (about 2 s): buckets are about 41 % wide.
    expect(stat.p95LagMs).toBeGreaterThanOrEqual(2_000);
    expect(stat.p95LagMs).toBeLessThan(2_900);
    expect((await api("/api/pipeline/stats?windowMinutes=0")).status).toBe(422);
  });
});

describe("the schema registry", () => {
  it("lists each contract's fields with what PII scrubbing does to them", async () => {
    const body = (await (await api("/api/pipeline/schemas")).json()) as {
      items: { type: string; version: number; fields: { path: string; type: string; pii: string }[] }[];
    };
    const fields = (type: string) => Object.fromEntries(body.items.find((i) => i.type === type)!.fields.map((f) => [f.path, f.pii]));
    expect(fields("OrderCreated")).toMatchObject({
      userId: "hmac",
      orderId: "keep",
      "lines[].name": "scan",
      "lines[].quantity": "keep",
      shippingCountry: "keep",
    });
    expect(fields("PasswordResetRequested")).toMatchObject({ email: "drop", token: "drop", userId: "hmac" });
    expect(fields("ShipmentCreated")).toMatchObject({ trackingNumber: "drop", trackingUrl: "drop", carrier: "scan" });
    expect(fields("ProductViewed")).toEqual({ productRef: "scan", userId: "hmac", sampleRate: "keep" });
  });
});
