/** The saga's keys: every side effect keyed by the order. */
import { describe, expect, it } from "vitest";
import { sagaKeys } from "./saga-keys.ts";

describe("saga keys", () => {
  it("keys every side effect by the order", () => {
    const k = sagaKeys("ord_X");
    expect(k).toMatchObject({
      reservationId: "res_X",
      authorize: "order:ord_X:authorize",
      capture: "order:ord_X:capture",
      void: "order:ord_X:void",
      refund: "order:ord_X:refund",
    });
    expect(k.restock("SKU-1")).toBe("order:ord_X:restock:SKU-1");
  });
});
