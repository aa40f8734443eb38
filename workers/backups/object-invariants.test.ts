import { describe, expect, it } from "vitest";
import type { ObjectSnapshot } from "../platform/cloudflare/object-snapshot.ts";
import { stockLedgerProblems } from "./object-invariants.ts";

const LEDGER_COLS = ["seq", "on_hand_delta", "reserved_delta", "on_hand", "reserved"];
const snapshot = (state: { onHand: number; reserved: number }, ledger: number[][], holds: [string, number, string][]): ObjectSnapshot => ({
  format: 1,
  tables: {
    stock: { columns: ["id", "state"], rows: [[1, JSON.stringify(state)]] },
    ledger: { columns: LEDGER_COLS, rows: ledger },
    holds: { columns: ["reservation_id", "quantity", "status"], rows: holds },
  },
  kv: {},
});

describe("stockLedgerProblems", () => {
  const ledger = [
    [1, 10, 0, 10, 0],
    [2, 0, 3, 10, 3],
    [3, -2, -2, 8, 1],
  ];

  it("accepts a ledger that adds up to the level, with the live holds matching what is reserved", () => {
    expect(
      stockLedgerProblems(
        "A",
        snapshot({ onHand: 8, reserved: 1 }, ledger, [
          ["r1", 1, "held"],
          ["r2", 2, "committed"],
        ]),
      ),
    ).toEqual([]);
  });

  it("finds a level the ledger does not add up to", () => {
    expect(stockLedgerProblems("A", snapshot({ onHand: 9, reserved: 1 }, ledger, [["r1", 1, "held"]]))).toEqual([
      "A: the ledger adds up to 8 on hand, 1 reserved; the level says 9, 1",
    ]);
  });

  it("finds a movement whose recorded running level breaks the chain", () => {
    const broken = [ledger[0]!, [2, 0, 3, 11, 3], ledger[2]!];
    expect(stockLedgerProblems("A", snapshot({ onHand: 8, reserved: 1 }, broken, [["r1", 1, "pinned"]]))[0]).toMatch(/movement 2/);
  });

  it("finds holds that do not match the reserved units, and a ledger without a level", () => {
    expect(stockLedgerProblems("A", snapshot({ onHand: 8, reserved: 1 }, ledger, []))).toEqual([
      "A: live holds hold 0, the level reserves 1",
    ]);
    expect(stockLedgerProblems("B", { format: 1, tables: { ledger: { columns: LEDGER_COLS, rows: [[1, 1, 0, 1, 0]] } }, kv: {} })).toEqual([
      "B: a ledger without a stock level",
    ]);
  });
});
