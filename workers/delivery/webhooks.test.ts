/**
 * The sandbox carrier's signed webhooks over HTTP: every signature failure is
 * a 401 that changes nothing; secrets rotate; a redelivered event has no
 * effect (also when the copies race); late events never move a shipment back.
 */
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { type ShipmentView, shipmentForOrder } from "./service.ts";
import { CARRIER_SECRETS, carrierEvent, makeShipment, postWebhook } from "./test-fixtures.ts";
import { signWebhook } from "./webhook-signature.ts";

const current = (s: ShipmentView) => withTestDb(async (db) => (await shipmentForOrder(db, s.orderId))!);
/** A carrier time `seconds` after the label was created (earlier scans would all be late). */
const createdPlus = (s: ShipmentView, seconds: number) => new Date(Date.parse(s.createdAt) + seconds * 1000);
type Result = { results: { eventId: string; outcome: string }[] };
const outcomeOf = async (res: Response) => ((await res.json()) as Result).results[0]!.outcome;

describe("webhook signatures over HTTP", () => {
  it("refuses a missing header, a wrong secret, a changed byte and a stale timestamp, changing nothing", async () => {
    const s = await makeShipment(newId("usr"));
    const body = carrierEvent(s.trackingNumber, "picked_up", new Date());
    const raw = JSON.stringify(body);
    const attempts = [
      await postWebhook(body, { header: null }),
      await postWebhook(body, { secrets: ["not-the-carrier-secret-000000"] }),
      await postWebhook(body, { rawBody: raw.replace("picked_up", "picked_uq") }),
      await postWebhook(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      await postWebhook(body, { header: "t=abc,v1=zz" }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("INVALID_WEBHOOK_SIGNATURE");
    }
    expect((await current(s)).status).toBe("label_created");
    // The same event, properly signed, is still applied afterwards: the refusals recorded nothing.
    expect(await outcomeOf(await postWebhook(body))).toBe("applied");
  });

  it("accepts the old secret during a rotation, and a header signed with both", async () => {
    const s = await makeShipment(newId("usr"));
    const old = await postWebhook(carrierEvent(s.trackingNumber, "picked_up", createdPlus(s, 1)), { secrets: [CARRIER_SECRETS[1]] });
    expect(old.status).toBe(200);
    const both = await postWebhook(carrierEvent(s.trackingNumber, "in_transit", createdPlus(s, 2)), {
      secrets: ["retired-carrier-secret-0000000", CARRIER_SECRETS[0]],
    });
    expect(both.status).toBe(200);
    expect((await current(s)).status).toBe("in_transit");
  });

  it("answers 404 for an unknown carrier and 422 for a signed body that is not the carrier's format", async () => {
    const raw = JSON.stringify({ hello: "world" });
    const header = await signWebhook([CARRIER_SECRETS[0]], raw);
    expect(
      (await api("/api/delivery/webhooks/acme", { method: "POST", token: null, headers: { "carrier-signature": header }, body: raw }))
        .status,
    ).toBe(404);
    expect((await postWebhook({ hello: "world" })).status).toBe(422);
  });
});

describe("webhook delivery semantics", () => {
  it("applies a redelivered event once, also when the copies race", async () => {
    const s = await makeShipment(newId("usr"));
    const body = carrierEvent(s.trackingNumber, "picked_up", new Date());
    const outcomes = await Promise.all(Array.from({ length: 4 }, async () => outcomeOf(await postWebhook(body))));
    expect(outcomes.sort()).toEqual(["applied", "duplicate", "duplicate", "duplicate"]);
    expect(await outcomeOf(await postWebhook(body))).toBe("duplicate");
    expect(await outboxEvents(s.id, "ShipmentDispatched")).toHaveLength(1);
    expect((await current(s)).timeline.map((t) => t.status)).toEqual(["label_created", "dispatched"]);
  });

  it("never moves a shipment backwards when events arrive out of order", async () => {
    const s = await makeShipment(newId("usr"));
    const tn = s.trackingNumber;
    // The real order: picked up (+1), in transit (+2), out for delivery (+3), failed attempt (+4), out for delivery (+5), delivered (+6).
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "in_transit", createdPlus(s, 2))))).toBe("applied");
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "out_for_delivery", createdPlus(s, 5))))).toBe("applied");
    // Late: the first attempt's failure, and the pickup scan.
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "delivery_failed", createdPlus(s, 4))))).toBe("stale");
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "picked_up", createdPlus(s, 1))))).toBe("stale");
    expect((await current(s)).status).toBe("out_for_delivery");
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "delivered", createdPlus(s, 6))))).toBe("applied");
    // Newer but backwards: refused by the state machine.
    expect(await outcomeOf(await postWebhook(carrierEvent(tn, "in_transit", createdPlus(s, 7))))).toBe("illegal");

    const view = await current(s);
    expect(view.status).toBe("delivered");
    // The timeline holds the late scans in the order they happened.
    expect(view.timeline.map((t) => t.status)).toEqual([
      "label_created",
      "dispatched",
      "in_transit",
      "failed_attempt",
      "out_for_delivery",
      "delivered",
    ]);
    // The skipped pickup scan still announced the dispatch, once; delivery once.
    expect(await outboxEvents(s.id, "ShipmentDispatched")).toHaveLength(1);
    expect(await outboxEvents(s.id, "DeliveryCompleted")).toHaveLength(1);
  });

  it("acknowledges an event for a tracking number it does not know", async () => {
    expect(await outcomeOf(await postWebhook(carrierEvent("SBX999999999999", "in_transit", new Date())))).toBe("unknown_shipment");
  });
});
