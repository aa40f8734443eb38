/** The saga's table: the steps in the rules' order, and the compensations newest first, each once. */
import { describe, expect, it } from "vitest";
import { FORWARD_STEPS } from "./saga-rules.ts";
import { COMPENSATIONS, SAGA_STEPS } from "./saga-steps.ts";

describe("the saga's steps", () => {
  it("lists the forward steps in the order the rules run them", () => {
    expect(SAGA_STEPS.map((s) => s.step)).toEqual([...FORWARD_STEPS]);
  });

  it("stops the shipment, then gives the stock back, then the money", () => {
    expect(COMPENSATIONS.map((c) => c.steps)).toEqual([["shipment_halted"], ["restocked", "released"], ["refunded", "voided"]]);
  });
});
