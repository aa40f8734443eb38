/** The codes a cart holds on their own: added once, limited, removed, dropped after checkout, merged on sign-in. */
import { describe, expect, it } from "vitest";
import { type CartState, emptyCart, type Outcome } from "./cart-rules.ts";
import { addCode, codesOf, dropCodes, mergeCodes, removeCode } from "./promotion-codes.ts";

const ok = (o: Outcome): CartState => {
  if (!o.ok) throw new Error(`refused: ${o.code}`);
  return o.state;
};
const cart = () => emptyCart("crt_1", null, 1000);

describe("a cart's promotion codes", () => {
  it("adds a code once, upper case, bumping the version; a repeat changes nothing", () => {
    const one = ok(addCode(cart(), "spring", 2, 2000));
    expect(codesOf(one)).toEqual(["SPRING"]);
    expect(one).toMatchObject({ version: 1, lastActivityAt: 2000 });
    expect(ok(addCode(one, "SPRING", 2, 3000))).toBe(one);
  });

  it("refuses a code beyond the limit and a removal of a code it does not hold", () => {
    const two = ok(addCode(ok(addCode(cart(), "A1X", 2, 1)), "B2Y", 2, 2));
    expect(addCode(two, "C3Z", 2, 3)).toEqual({ ok: false, code: "PROMOTION_CODE_LIMIT", maxCodes: 2 });
    expect(removeCode(two, "C3Z", 3)).toEqual({ ok: false, code: "PROMOTION_NOT_ON_CART", promotionCode: "C3Z" });
    expect(codesOf(ok(removeCode(two, "a1x", 4)))).toEqual(["B2Y"]);
  });

  it("drops the codes an order used, and reads a cart stored before codes as having none", () => {
    const two = ok(addCode(ok(addCode(cart(), "A1X", 5, 1)), "B2Y", 5, 2));
    expect(codesOf(dropCodes(two, ["A1X"], 3))).toEqual(["B2Y"]);
    expect(dropCodes(two, [], 3)).toBe(two);
    const { promotionCodes: _, ...old } = two;
    expect(codesOf(old)).toEqual([]);
  });

  it("merges a guest cart's codes after its own, as many as fit", () => {
    const own = ok(addCode(cart(), "MINE", 3, 1));
    expect(codesOf(mergeCodes(own, ["MINE", "G1X", "G2X", "G3X"], 3, 2))).toEqual(["MINE", "G1X", "G2X"]);
    expect(mergeCodes(own, ["MINE"], 3, 2)).toBe(own);
  });
});
