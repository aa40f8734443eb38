import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { decodeCursor, encodeCursor, keysetPage } from "./cursor.ts";
import { ApiError } from "./errors.ts";

type Problem = { status: number; code: string; errors?: { field: string; message: string }[] };

/** What decoding `raw` threw: a 422 naming query.cursor, or the test fails. */
function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.extras.errors).toEqual([{ field: "query.cursor", message: expect.any(String) }]);
    return e;
  }
  throw new Error("the cursor was accepted");
}

const GARBAGE = ["not a cursor!", "%%%", "a", "====", "bnVsbA", "e30", "W10", btoa("[]"), btoa('"x"'), btoa("{}"), "🦄"];

describe("decodeCursor", () => {
  it("round-trips a key of strings and numbers, URL-safe", () => {
    const raw = encodeCursor({ sort: "things:price-asc", key: [1999, "prd_X/+?é"] });
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw, "things:price-asc", ["number", "string"])).toEqual([1999, "prd_X/+?é"]);
  });

  it("refuses a cursor of another sort or another list", () => {
    const newest = encodeCursor({ sort: "runs:newest", key: ["run_1"] });
    refusal(() => decodeCursor(newest, "runs:oldest", ["string"]));
    refusal(() => decodeCursor(newest, "dead-letters:newest", ["string"]));
    refusal(() => decodeCursor(newest, "newest", ["string"]));
    const seq = encodeCursor({ sort: "audit-entries:seq-desc", key: [42] });
    refusal(() => decodeCursor(seq, "audit-timeline:seq-asc", ["number"]));
  });

  it("refuses garbage", () => {
    for (const raw of GARBAGE) refusal(() => decodeCursor(raw, "runs:newest", ["string"]));
  });

  it("refuses a NUL byte, raw or inside the key", () => {
    refusal(() => decodeCursor("\u0000", "runs:newest", ["string"]));
    refusal(() => decodeCursor(`${encodeCursor({ sort: "runs:newest", key: ["run_1"] })}\u0000`, "runs:newest", ["string"]));
    refusal(() => decodeCursor(encodeCursor({ sort: "runs:newest", key: ["run_\u0000"] }), "runs:newest", ["string"]));
  });

  it("refuses a huge string without decoding it", () => {
    const huge = encodeCursor({ sort: "runs:newest", key: ["r".repeat(100_000)] });
    refusal(() => decodeCursor(huge, "runs:newest", ["string"]));
    refusal(() => decodeCursor("A".repeat(1_000_000), "runs:newest", ["string"]));
  });

  it("refuses a key of the wrong shape or one its schema does not accept", () => {
    const Seq = z.number().int().min(0);
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: ["1"] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: [-1] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: [1.5] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: [2 ** 60] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: [1, 2] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: [] }), "s", [Seq]));
    refusal(() => decodeCursor(encodeCursor({ sort: "s", key: ["usr_nope"] }), "s", [z.string().regex(/^usr_[0-9A-Z]{26}$/)]));
    expect(decodeCursor(encodeCursor({ sort: "s", key: [7] }), "s", [Seq])).toEqual([7]);
  });
});

describe("keysetPage", () => {
  it("keeps `limit` rows and points the cursor after the last one only when more follow", () => {
    const rows = [{ id: "c" }, { id: "b" }, { id: "a" }];
    const more = keysetPage(rows, 2, "letters:desc", (r) => [r.id]);
    expect(more.page).toEqual([{ id: "c" }, { id: "b" }]);
    expect(decodeCursor(more.nextCursor!, "letters:desc", ["string"])).toEqual(["b"]);
    expect(keysetPage(rows, 3, "letters:desc", (r) => [r.id])).toEqual({ page: rows, nextCursor: null });
    expect(keysetPage([], 3, "letters:desc", (r: { id: string }) => [r.id])).toEqual({ page: [], nextCursor: null });
  });
});

/** Every list endpoint the operations token may read; each takes `cursor`. */
const LISTS = [
  "/api/users",
  "/api/orders",
  "/api/payments",
  "/api/delivery/shipments",
  "/api/notifications",
  "/api/notifications/outbox",
  "/api/scheduler/runs",
  "/api/audit/entries",
  "/api/audit/entities/order/ord_01JB8Y3Z5N7Q2W4E6R8T0Y2U4A",
  "/api/pipeline/dead-letters",
  "/api/pipeline/quarantine",
  "/api/inventory/reports/low-stock",
  "/api/inventory/SKU-CURSOR-1/ledger",
  "/api/products",
  "/api/products/categories",
  "/api/products/brands",
  "/api/products/tags",
  "/api/products/discounts",
  "/api/reviews",
  "/api/reviews/rev_01JB8ZK3M4N5P6Q7R8S9T0V1W2/reports",
];

describe("every list's cursor over HTTP", () => {
  const foreign = encodeCursor({ sort: "no-such-list:newest", key: ["x"] });
  const cases: [string, string][] = [
    ["garbage", encodeURIComponent("not a cursor!")],
    ["a NUL byte", "%00"],
    ["a NUL byte inside a cursor", encodeURIComponent(`${foreign}\u0000`)],
    ["a huge string", "A".repeat(20_000)],
    ["another list's cursor", foreign],
  ];

  for (const path of LISTS) {
    it(`${path} answers 422 on query.cursor, never 500`, async () => {
      for (const [what, cursor] of cases) {
        const res = await api(`${path}${path.includes("?") ? "&" : "?"}cursor=${cursor}`);
        const body = (await res.json()) as Problem;
        expect({ what, status: res.status, field: body.errors?.[0]?.field }).toEqual({ what, status: 422, field: "query.cursor" });
      }
    });
  }
});
