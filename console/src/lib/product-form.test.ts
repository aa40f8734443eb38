import { describe, expect, it } from "vitest";
import { formatOptions, parseOptions, productBody, toMinor } from "./product-form.ts";

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
      variants: [{ sku: "LMP-1", price: "20", currency: "USD", options: "colour=white" }],
    };
    expect(productBody(form)).toEqual({
      ok: true,
      body: {
        name: "Lamp",
        description: "",
        status: "draft",
        categoryId: null,
        brandId: "brd_1",
        variants: [{ sku: "LMP-1", priceMinor: 2000, currency: "USD", options: { colour: "white" } }],
      },
    });
    expect(productBody({ ...form, name: " " })).toEqual({ ok: false, message: "The product needs a name." });
    expect(productBody({ ...form, variants: [{ sku: "X", price: "ten", currency: "USD", options: "" }] })).toMatchObject({ ok: false });
  });
});
