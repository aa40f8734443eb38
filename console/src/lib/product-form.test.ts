import { describe, expect, it } from "vitest";
import { formatOptions, parseOptions, productBody, storedCompareAt, toMajor, toMinor } from "./product-form.ts";

describe("product form", () => {
  it("turns typed prices into minor units and refuses what is not an amount", () => {
    expect(toMinor("12.5")).toBe(1250);
    expect(toMinor("19,99")).toBe(1999);
    expect(toMinor("0")).toBe(0);
    for (const bad of ["", "-1", "1.234", "abc", "1e3"]) expect(toMinor(bad)).toBeNull();
  });

  it("parses and writes variant options", () => {
    expect(parseOptions("size=M, colour = red, broken, =x")).toEqual({ size: "M", colour: "red" });
    expect(formatOptions({ size: "M", colour: "red" })).toBe("size=M, colour=red");
  });

  it("builds the body or names the first problem", () => {
    const form = {
      name: " Lamp ",
      description: "",
      status: "draft" as const,
      categoryId: "",
      brandId: "brd_1",
      variants: [{ sku: "LMP-1", price: "20", compareAt: "", currency: "USD", options: "colour=white" }],
    };
    expect(productBody(form)).toEqual({
      ok: true,
      body: {
        name: "Lamp",
        description: "",
        status: "draft",
        categoryId: null,
        brandId: "brd_1",
        variants: [{ sku: "LMP-1", priceMinor: 2000, compareAtMinor: null, currency: "USD", options: { colour: "white" } }],
      },
    });
    expect(productBody({ ...form, name: " " })).toEqual({ ok: false, message: "The product needs a name." });
    expect(productBody({ ...form, variants: [{ sku: "X", price: "ten", compareAt: "", currency: "USD", options: "" }] })).toMatchObject({
      ok: false,
    });
  });

  it("sends the compare-at price in minor units, above the price, or null when empty", () => {
    const variant = { sku: "LMP-1", price: "20", compareAt: "24.5", currency: "USD", options: "" };
    const form = { name: "Lamp", description: "", status: "draft" as const, categoryId: "", brandId: "", variants: [variant] };
    expect(productBody(form)).toMatchObject({ ok: true, body: { variants: [{ priceMinor: 2000, compareAtMinor: 2450 }] } });
    expect(productBody({ ...form, variants: [{ ...variant, compareAt: " " }] })).toMatchObject({
      ok: true,
      body: { variants: [{ compareAtMinor: null }] },
    });
    expect(productBody({ ...form, variants: [{ ...variant, compareAt: "20" }] })).toEqual({
      ok: false,
      message: "Variant 1: the compare-at price must be above the price.",
    });
    expect(productBody({ ...form, variants: [{ ...variant, compareAt: "lots" }] })).toMatchObject({ ok: false });
  });

  it("reads the stored compare-at price back from the priced view", () => {
    // No compare-at, no discount: nothing shown.
    expect(storedCompareAt({ baseMinor: 2000, compareAtMinor: null })).toBeNull();
    // A stored compare-at is shown as it is, discount or not.
    expect(storedCompareAt({ baseMinor: 2000, compareAtMinor: 2450 })).toBe(2450);
    // Under a discount with no compare-at, the base is shown struck through: that is not a stored compare-at.
    expect(storedCompareAt({ baseMinor: 2000, compareAtMinor: 2000 })).toBeNull();
    expect([toMajor(2450), toMajor(null)]).toEqual(["24.50", ""]);
  });
});
