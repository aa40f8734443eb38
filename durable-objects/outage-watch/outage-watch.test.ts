import { afterEach, describe, expect, it, vi } from "vitest";
import { testBindings } from "../../test/helpers/db.ts";
import { eventually } from "../../test/helpers/http.ts";

const HOOK = "https://ops.example/alerts";

afterEach(() => vi.restoreAllMocks());

describe("OutageWatch Durable Object", () => {
  it("delivers one alert per outage and one recovery to the webhook, in order, retrying a refused delivery", async () => {
    const received: Array<{ key: string | null; kind: string; id: string }> = [];
    let refuseNext = true;
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url !== HOOK) return realFetch(input, init);
      if (refuseNext) {
        refuseNext = false;
        return new Response("busy", { status: 503 });
      }
      const body = JSON.parse(String(init?.body)) as { kind: string; id: string };
      received.push({ key: new Headers(init?.headers).get("idempotency-key"), kind: body.kind, id: body.id });
      return new Response(null, { status: 204 });
    });
    const dependency = `probe-${crypto.randomUUID()}`;
    const watch = testBindings.OUTAGE_WATCH.get(testBindings.OUTAGE_WATCH.idFromName(dependency));
    const settings = { dependency, probeMs: 50, recoveryProbes: 3, webhookUrl: HOOK };

    // Many reports racing from many requests: one outage. The database answers, so the probes end it.
    const began = await Promise.all(Array.from({ length: 20 }, () => watch.report("connection refused", settings)));
    expect(began.filter(Boolean)).toHaveLength(1);
    const status = await eventually(async () => {
      const s = await watch.status();
      return s.status === "up" && s.pendingAlerts === 0 ? s : undefined;
    });
    expect(received.map((r) => r.kind)).toEqual(["outage", "recovered"]);
    for (const r of received) expect(r.key).toBe(r.id);
    expect(received[1]!.id).toBe(`${received[0]!.id}-recovered`);
    expect(status).toMatchObject({ outages: 1, alertsDelivered: 2 });
    expect(status.recentAlerts.map((a) => a.kind)).toEqual(["outage", "recovered"]);
  });
});
