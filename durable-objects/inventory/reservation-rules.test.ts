import { describe, expect, it } from "vitest";
import { canCommit, canRelease, normalizeLines, type ReservationRecord, sameLines, statusAt } from "./reservation-rules.ts";

const rec = (status: ReservationRecord["status"], expiresAt = 2000): ReservationRecord => ({
  reservationId: "res_X",
  owner: { type: "user", id: "u1" },
  lines: [{ sku: "A", quantity: 1 }],
  ttlMs: 1000,
  expiresAt,
  status,
  refusal: null,
  correlationId: "c",
  createdAt: 1000,
  updatedAt: 1000,
});

describe("reservation lines", () => {
  it("are merged per SKU and put in one fixed order", () => {
    expect(
      normalizeLines([
        { sku: "B", quantity: 1 },
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 3 },
      ]),
    ).toEqual([
      { sku: "A", quantity: 2 },
      { sku: "B", quantity: 4 },
    ]);
    expect(
      sameLines(
        normalizeLines([
          { sku: "B", quantity: 1 },
          { sku: "A", quantity: 1 },
        ]),
        normalizeLines([
          { sku: "A", quantity: 1 },
          { sku: "B", quantity: 1 },
        ]),
      ),
    ).toBe(true);
    expect(sameLines([{ sku: "A", quantity: 1 }], [{ sku: "A", quantity: 2 }])).toBe(false);
  });

  it("refuses no lines, bad quantities and too many SKUs", () => {
    expect(() => normalizeLines([])).toThrow(RangeError);
    expect(() => normalizeLines([{ sku: "A", quantity: 0 }])).toThrow(RangeError);
    expect(() => normalizeLines(Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })))).toThrow(RangeError);
  });
});

describe("reservation status", () => {
  it("is expired once a held reservation's time is up", () => {
    expect(statusAt(rec("held"), 1999)).toBe("held");
    expect(statusAt(rec("held"), 2000)).toBe("expired");
    expect(statusAt(rec("committed"), 9999)).toBe("committed");
  });

  it("allows a commit of a held or half-committed reservation only", () => {
    expect(canCommit(rec("held"), 1500)).toEqual({ go: true });
    expect(canCommit(rec("committing"), 9999)).toEqual({ go: true });
    expect(canCommit(rec("held"), 2000)).toEqual({ go: false, code: "RESERVATION_EXPIRED" });
    expect(canCommit(rec("committed"), 0)).toEqual({ go: false, code: "ALREADY_COMMITTED" });
    expect(canCommit(rec("released"), 0)).toEqual({ go: false, code: "RESERVATION_RELEASED" });
    expect(canCommit(rec("refused"), 0)).toEqual({ go: false, code: "RESERVATION_NOT_HELD" });
  });

  it("allows a release of what is held, answers a repeat, refuses a sale", () => {
    expect(canRelease(rec("held"), 1500)).toEqual({ go: true });
    expect(canRelease(rec("released"), 1500)).toEqual({ go: false, code: "NOTHING_HELD" });
    expect(canRelease(rec("held"), 2500)).toEqual({ go: false, code: "NOTHING_HELD" });
    expect(canRelease(rec("committing"), 1500)).toEqual({ go: false, code: "RESERVATION_COMMITTED" });
  });
});
