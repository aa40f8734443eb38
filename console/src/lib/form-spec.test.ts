import { describe, expect, it } from "vitest";
import { buildBody, buildChange, type FieldSpec, initialValues, toBasisPoints, toLocalInput, valuesOf } from "./form-spec.ts";

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

describe("editing a record with a form described as data", () => {
  const editable: FieldSpec[] = [
    ...specs,
    { name: "priority", label: "Priority", kind: "integer" },
    { name: "combinable", label: "Combinable", kind: "boolean" },
  ];
  const record = {
    code: "SPRING",
    kind: "percentage",
    percentBp: 1250,
    amountMinor: null,
    minSubtotalMinor: 5000,
    usageLimit: null,
    endsAt: "2030-06-01T10:30:45.000Z",
    productIds: ["prd_1", "prd_2"],
    priority: -3,
    combinable: false,
  };

  it("reads the record back into what each input shows", () => {
    const values = valuesOf(editable, record);
    expect(values).toMatchObject({
      code: "SPRING",
      kind: "percentage",
      percentBp: "12.5",
      amountMinor: "",
      minSubtotalMinor: "50.00",
      usageLimit: "",
      productIds: "prd_1, prd_2",
      priority: "-3",
      combinable: "false",
    });
    // The datetime-local text is the same instant, to the minute, in the browser's zone.
    expect(new Date(values.endsAt!).toISOString()).toBe("2030-06-01T10:30:00.000Z");
    expect(toLocalInput("not a date")).toBe("");
  });

  it("sends only what was changed, and null for a field the change hides", () => {
    const before = valuesOf(editable, record);
    expect(buildChange(editable, before, { ...before, usageLimit: "100", priority: "0", combinable: "true" })).toEqual({
      ok: true,
      body: { usageLimit: 100, priority: 0, combinable: true },
    });
    // An untouched end keeps its seconds: it is not sent at all.
    expect(buildChange(editable, before, before)).toEqual({ ok: true, body: {} });
    expect(buildChange(editable, before, { ...before, kind: "fixed", amountMinor: "5" })).toEqual({
      ok: true,
      body: { kind: "fixed", amountMinor: 500, percentBp: null },
    });
    expect(buildChange(editable, before, { ...before, endsAt: "" })).toEqual({ ok: true, body: { endsAt: null } });
    expect(buildChange(editable, before, { ...before, priority: "1.5" })).toEqual({
      ok: false,
      errors: { priority: "Priority: a whole number" },
    });
  });
});
