/** The pipeline's validation against the registered contracts, and the lag histogram's percentile. */
import { describe, expect, it } from "vitest";
import "../../queues/contracts/index.ts";
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { buildEvent } from "../platform/event-contracts.ts";
import { bucketUpperMs, percentileFromHistogram } from "./event-stats.ts";
import { labelOf, validateEvent } from "./validation.ts";

const confirmed = () =>
  buildEvent(OrderConfirmed, {
    subjectId: "ord_1",
    source: "orders",
    correlationId: "r",
    payload: { orderId: "ord_1", orderNumber: "EC-1", userId: "usr_1", totalMinor: 100, currency: "USD" },
  });

describe("validateEvent", () => {
  it("accepts an event that satisfies its contract", () => {
    const v = validateEvent(confirmed());
    expect(v.ok && v.contract.type).toBe("OrderConfirmed");
  });

  it("names every field a payload breaks, with its path and zod code", () => {
    const bad = { ...confirmed(), payload: { orderId: "ord_1", orderNumber: "", userId: 7, totalMinor: -1, currency: "usd" } };
    const v = validateEvent(bad);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.path).sort()).toEqual(["payload.currency", "payload.orderNumber", "payload.totalMinor", "payload.userId"]);
    expect(v.issues.find((i) => i.path === "payload.userId")!.code).toBe("invalid_type");
    expect(v.reason).toMatch(/^payload breaks OrderConfirmed@1: /);
    expect(v).toMatchObject({ topic: "order", type: "OrderConfirmed", version: 1 });
  });

  it("refuses an unknown type or version, a wrong topic, and a body that is not an envelope", () => {
    const unknownVersion = validateEvent({ ...confirmed(), version: 9 });
    expect(!unknownVersion.ok && unknownVersion.reason).toBe("no contract for OrderConfirmed@9");
    const wrongTopic = validateEvent({ ...confirmed(), topic: "cart" });
    expect(!wrongTopic.ok && wrongTopic.issues[0]!.path).toBe("topic");
    const notEnvelope = validateEvent({ hello: "world" });
    expect(notEnvelope.ok).toBe(false);
    if (notEnvelope.ok) return;
    expect(notEnvelope).toMatchObject({ topic: "unknown", type: "unknown", version: null });
    expect(notEnvelope.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["id", "type", "occurredAt"]));
    expect(labelOf(null)).toEqual({ topic: "unknown", type: "unknown", version: null });
  });
});

describe("lag percentiles from the histogram", () => {
  it("give the upper bound of the bucket holding the rank", () => {
    expect(bucketUpperMs(0)).toBe(0);
    expect(bucketUpperMs(20)).toBe(1023);
    // 100 events: 90 around 10 ms (bucket 7: up to 10 ms), 10 around 1 s (bucket 20).
    const h = [
      { bucket: 20, count: 10 },
      { bucket: 7, count: 90 },
    ];
    expect(percentileFromHistogram(h, 0.5)).toBe(bucketUpperMs(7));
    expect(percentileFromHistogram(h, 0.9)).toBe(bucketUpperMs(7));
    expect(percentileFromHistogram(h, 0.95)).toBe(1023);
    expect(percentileFromHistogram([], 0.95)).toBeNull();
  });
});
