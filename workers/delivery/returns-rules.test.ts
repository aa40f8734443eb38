import { describe, expect, it } from "vitest";
import {
  checkInspection,
  checkReturnLines,
  claimedUnits,
  isWithinWindow,
  refundFor,
  returnByDate,
  rmaNumberOf,
  sameInspection,
} from "./returns-rules.ts";

const shipped = [
  { sku: "A", productId: "prd_a", name: "Mug", quantity: 3, unitPaidMinor: 1200 },
  { sku: "B", productId: "prd_b", name: "Tea", quantity: 1, unitPaidMinor: 550 },
];

describe("return window", () => {
  const delivered = new Date("2026-01-01T12:00:00Z");
  it("is open up to the last moment of the window and closed after", () => {
    expect(isWithinWindow(delivered, 30, new Date("2026-01-31T12:00:00Z"))).toBe(true);
    expect(isWithinWindow(delivered, 30, new Date("2026-01-31T12:00:01Z"))).toBe(false);
    expect(isWithinWindow(delivered, 0, new Date("2026-01-01T12:00:01Z"))).toBe(false);
  });
  it("gives 14 days to send the goods", () => {
    expect(returnByDate(new Date("2026-01-10T23:00:00Z"))).toBe("2026-01-24");
  });
});

describe("return lines", () => {
  it("prices the requested lines as paid", () => {
    expect(checkReturnLines(shipped, new Map(), [{ sku: "A", quantity: 2 }])).toEqual({
      ok: true,
      lines: [{ ...shipped[0], quantity: 2 }],
    });
  });

  it("refuses more than delivered minus what earlier returns claim", () => {
    const claimed = claimedUnits([
      { status: "refunded", sku: "A", quantity: 2 },
      { status: "rejected", sku: "A", quantity: 3 }, // a rejected return gives nothing back to claim against
      { status: "initiated", sku: "B", quantity: 1 },
    ]);
    expect(claimed).toEqual(
      new Map([
        ["A", 2],
        ["B", 1],
      ]),
    );
    expect(checkReturnLines(shipped, claimed, [{ sku: "A", quantity: 1 }]).ok).toBe(true);
    const over = checkReturnLines(shipped, claimed, [{ sku: "A", quantity: 2 }]);
    expect(over).toMatchObject({ ok: false, status: 409, code: "RETURN_QUANTITY_EXCEEDED" });
    expect(checkReturnLines(shipped, claimed, [{ sku: "B", quantity: 1 }])).toMatchObject({ ok: false, status: 409 });
  });

  it("refuses SKUs not shipped, duplicates, non-positive quantities and an empty list", () => {
    expect(checkReturnLines(shipped, new Map(), [{ sku: "Z", quantity: 1 }])).toMatchObject({
      ok: false,
      status: 422,
      errors: [{ field: "lines.0.sku" }],
    });
    expect(
      checkReturnLines(shipped, new Map(), [
        { sku: "A", quantity: 1 },
        { sku: "A", quantity: 1 },
      ]),
    ).toMatchObject({ ok: false, status: 422, errors: [{ field: "lines.1.sku" }] });
    expect(checkReturnLines(shipped, new Map(), [{ sku: "A", quantity: 0 }])).toMatchObject({ ok: false, status: 422 });
    expect(checkReturnLines(shipped, new Map(), [])).toMatchObject({ ok: false, status: 422 });
  });
});

describe("inspection", () => {
  const lines = [
    { sku: "A", quantity: 2, unitPaidMinor: 1200 },
    { sku: "B", quantity: 1, unitPaidMinor: 550 },
  ];
  it("accepts everything when no quantities are given", () => {
    const r = checkInspection(lines, undefined);
    expect(r.ok && refundFor(r.lines)).toBe(2950);
  });
  it("refunds accepted units at the price paid", () => {
    const r = checkInspection(lines, [
      { sku: "A", acceptedQuantity: 1 },
      { sku: "B", acceptedQuantity: 0 },
    ]);
    expect(r.ok && refundFor(r.lines)).toBe(1200);
  });
  it("needs every line once, within its quantity", () => {
    expect(checkInspection(lines, [{ sku: "A", acceptedQuantity: 2 }]).ok).toBe(false);
    expect(
      checkInspection(lines, [
        { sku: "A", acceptedQuantity: 3 },
        { sku: "B", acceptedQuantity: 0 },
      ]).ok,
    ).toBe(false);
    expect(
      checkInspection(lines, [
        { sku: "A", acceptedQuantity: 1 },
        { sku: "B", acceptedQuantity: 0 },
        { sku: "C", acceptedQuantity: 0 },
      ]).ok,
    ).toBe(false);
  });
  it("recognises a retry of the same inspection", () => {
    const a = checkInspection(lines, [
      { sku: "A", acceptedQuantity: 1 },
      { sku: "B", acceptedQuantity: 1 },
    ]);
    const b = checkInspection(lines, [
      { sku: "B", acceptedQuantity: 1 },
      { sku: "A", acceptedQuantity: 1 },
    ]);
    const c = checkInspection(lines, undefined);
    if (!a.ok || !b.ok || !c.ok) throw new Error("unexpected");
    expect(sameInspection(a.lines, b.lines)).toBe(true);
    expect(sameInspection(a.lines, c.lines)).toBe(false);
  });
});

it("derives the RMA number from the return id", () => {
  expect(rmaNumberOf("ret_01JB8Y3Z5N7Q2W4E6R8T0Y2U4A")).toBe("RMA-6R8T0Y2U4A");
});
