import { describe, expect, it } from "vitest";
import { buildBody, type FieldSpec, initialValues, toBasisPoints } from "./form-spec.ts";

const specs: FieldSpec[] = [
  { name: "code", label: "Code", kind: "text" },
  {
    name: "kind",
    label: "Kind",
    kind: "select",
    options: [
      ["percentage", "Percentage"],
      ["fixed", "Fixed"],
    ],
  },
  { name: "percentBp", label: "Percent off", kind: "percent", when: (v) => v.kind === "percentage" },
  { name: "amountMinor", label: "Amount off", kind: "amount", when: (v) => v.kind === "fixed" },
  { name: "minSubtotalMinor", label: "Minimum", kind: "amount", omitWhenEmpty: true },
  { name: "usageLimit", label: "Uses in all", kind: "count" },
  { name: "endsAt", label: "Ends", kind: "datetime" },
  { name: "productIds", label: "Products", kind: "ids" },
];

describe("forms described as data", () => {
  it("starts selects on their first option and everything else empty", () => {
    expect(initialValues(specs)).toMatchObject({ code: "", kind: "percentage", percentBp: "" });
  });

  it("converts each kind of field and sends only the visible ones", () => {
    const built = buildBody(specs, {
      code: " SPRING ",
      kind: "percentage",
      percentBp: "12.5",
      amountMinor: "9.99",
      minSubtotalMinor: "",
      usageLimit: "100",
      endsAt: "2027-01-02T03:04:00Z",
      productIds: "prd_A, prd_B\nprd_C",
    });
    expect(built).toEqual({
      ok: true,
      body: {
        code: "SPRING",
        kind: "percentage",
        percentBp: 1250,
        usageLimit: 100,
        endsAt: "2027-01-02T03:04:00.000Z",
        productIds: ["prd_A", "prd_B", "prd_C"],
      },
    });
  });

  it("sends empty optional fields as null (or an empty list) and leaves the API's defaults alone", () => {
    const built = buildBody(specs, { ...initialValues(specs), kind: "fixed", amountMinor: "5" });
    expect(built).toEqual({
      ok: true,
      body: { code: null, kind: "fixed", amountMinor: 500, usageLimit: null, endsAt: null, productIds: [] },
    });
  });

  it("names every field a person must fix, by its body name", () => {
    const built = buildBody(specs, { kind: "percentage", percentBp: "150", usageLimit: "0", endsAt: "soon" });
    expect(built).toEqual({
      ok: false,
      errors: {
        percentBp: expect.stringContaining("Percent off"),
        usageLimit: expect.stringContaining("at least 1"),
        endsAt: expect.stringContaining("date"),
      },
    });
  });

  it("reads percentages into basis points within 0..100 %", () => {
    expect(toBasisPoints("100")).toBe(10_000);
    expect(toBasisPoints("0,5")).toBe(50);
    expect(toBasisPoints("100.01")).toBeNull();
    expect(toBasisPoints("-1")).toBeNull();
  });
});
