/** The order state machine: every pair of statuses, allowed or refused with 409 naming both ends. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../workers/platform/errors.ts";
import { canTransition, isCancellable, isFinal, isResting, isSold, ORDER_STATUSES, type OrderStatus, transition } from "./state.ts";

const ALLOWED: [OrderStatus, OrderStatus][] = [
  ["pending", "confirming"],
  ["pending", "cancelling"],
  ["confirming", "awaiting_payment"],
  ["confirming", "confirmed"],
  ["confirming", "cancelling"],
  ["awaiting_payment", "confirming"],
  ["awaiting_payment", "cancelling"],
  ["confirmed", "shipped"],
  ["confirmed", "cancelling"],
  ["shipped", "delivered"],
  ["cancelling", "cancelled"],
];

describe("order state machine", () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)("%s -> %s", (from, to) => {
    const allowed = ALLOWED.some(([a, b]) => a === from && b === to);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(transition(from, to)).toBe(to);
      return;
    }
    let error: unknown;
    try {
      transition(from, to);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "ORDER_STATE_CONFLICT", extras: { from, to } });
    expect((error as ApiError).message).toContain(from);
  });

  it("never confirms and cancels the same order: no way back from cancelling or cancelled", () => {
    for (const to of ORDER_STATUSES) {
      if (to !== "cancelled") expect(canTransition("cancelling", to)).toBe(false);
      expect(canTransition("cancelled", to)).toBe(false);
    }
  });

  it("classifies statuses", () => {
    expect(ORDER_STATUSES.filter(isFinal)).toEqual(["delivered", "cancelled"]);
    expect(ORDER_STATUSES.filter(isSold)).toEqual(["confirmed", "shipped", "delivered"]);
    expect(ORDER_STATUSES.filter((s) => !isResting(s))).toEqual(["confirming", "cancelling"]);
    expect(ORDER_STATUSES.filter(isCancellable)).toEqual(["pending", "confirming", "awaiting_payment", "confirmed"]);
  });
});
