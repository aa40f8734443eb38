import { describe, expect, it } from "vitest";
import { canTransition, decideUpdate, eventsFor, hasLeft, isTerminal, SHIPMENT_STATUS_LIST, TRANSITIONS } from "./transitions.ts";
import type { ShipmentStatus } from "./types.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

describe("shipment transitions", () => {
  it("allows exactly the moves of the table", () => {
    const allowed: [ShipmentStatus, ShipmentStatus][] = [
      ["label_created", "dispatched"],
      ["label_created", "cancelled"],
      ["label_created", "delivered"], // a carrier that skipped every scan
      ["dispatched", "in_transit"],
      ["in_transit", "out_for_delivery"],
      ["out_for_delivery", "delivered"],
      ["out_for_delivery", "failed_attempt"],
      ["failed_attempt", "out_for_delivery"], // the second attempt
      ["failed_attempt", "returned"],
    ];
    const refused: [ShipmentStatus, ShipmentStatus][] = [
      ["dispatched", "label_created"],
      ["dispatched", "cancelled"], // too late to stop
      ["in_transit", "dispatched"],
      ["out_for_delivery", "in_transit"],
      ["delivered", "in_transit"],
      ["delivered", "returned"],
      ["cancelled", "dispatched"],
      ["returned", "delivered"],
      ["label_created", "failed_attempt"],
      ["label_created", "returned"],
    ];
    for (const [from, to] of allowed) expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
    for (const [from, to] of refused) expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
  });

  it("never allows a move into label_created or out of a terminal status", () => {
    for (const from of SHIPMENT_STATUS_LIST) expect(canTransition(from, "label_created")).toBe(false);
    expect(SHIPMENT_STATUS_LIST.filter(isTerminal).sort()).toEqual(["cancelled", "delivered", "returned"]);
    // Cancelled is only reachable before the parcel left.
    expect(SHIPMENT_STATUS_LIST.filter((s) => TRANSITIONS[s].includes("cancelled"))).toEqual(["label_created"]);
  });

  it("announces dispatch once, when the parcel first leaves, even if the dispatch scan was skipped", () => {
    expect(eventsFor("label_created", "dispatched")).toEqual(["ShipmentDispatched"]);
    expect(eventsFor("label_created", "delivered")).toEqual(["ShipmentDispatched", "DeliveryCompleted"]);
    expect(eventsFor("dispatched", "in_transit")).toEqual([]);
    expect(eventsFor("out_for_delivery", "delivered")).toEqual(["DeliveryCompleted"]);
    expect(eventsFor("label_created", "cancelled")).toEqual([]);
    expect(hasLeft("cancelled")).toBe(false);
  });
});

describe("deciding a carrier update", () => {
  it("applies a newer legal update", () => {
    expect(decideUpdate("in_transit", at(0), "out_for_delivery", at(5))).toEqual({ kind: "apply", events: [] });
    expect(decideUpdate("dispatched", at(0), "delivered", at(5))).toEqual({ kind: "apply", events: ["DeliveryCompleted"] });
  });

  it("keeps an older update out of the status even when the move would be legal", () => {
    // Out for delivery (second attempt, 10:30) arrived before the failed first attempt (10:20).
    expect(decideUpdate("out_for_delivery", at(30), "failed_attempt", at(20))).toEqual({ kind: "stale" });
    expect(decideUpdate("delivered", at(30), "in_transit", at(10))).toEqual({ kind: "stale" });
  });

  it("refuses a newer update that would go backwards", () => {
    expect(decideUpdate("delivered", at(30), "in_transit", at(40))).toEqual({ kind: "illegal" });
    expect(decideUpdate("cancelled", at(0), "dispatched", at(40))).toEqual({ kind: "illegal" });
  });

  it("treats a repeated status as nothing to do", () => {
    expect(decideUpdate("in_transit", at(10), "in_transit", at(20))).toEqual({ kind: "same" });
  });
});
