import { describe, expect, it } from "vitest";
import { EU_COUNTRIES, normalisePostalCode, SHIPPING_COUNTRIES, validateAddress } from "./address.ts";

const base = { name: "Ana Silva", line1: "Rua Augusta 100", city: "Lisboa", postalCode: "1100-053", country: "PT" };

describe("postal codes", () => {
  // [country, input, normalised or null when refused]
  const table: [string, string, string | null][] = [
    ["US", "94105", "94105"],
    ["US", "94105-1234", "94105-1234"],
    ["US", "941051234", "94105-1234"],
    ["US", "9410", null],
    ["US", "ABCDE", null],
    ["CA", "k1a0b1", "K1A 0B1"],
    ["CA", "K1A 0B1", "K1A 0B1"],
    ["CA", "D1A 0B1", null], // D is not a Canadian first letter
    ["GB", "sw1a1aa", "SW1A 1AA"],
    ["GB", "M1 1AE", "M1 1AE"],
    ["GB", "EC1A 1BB", "EC1A 1BB"],
    ["GB", "12345", null],
    ["DE", "10115", "10115"],
    ["DE", "1011", null],
    ["FR", "75008", "75008"],
    ["FR", "7500", null],
    ["NL", "1012ab", "1012 AB"],
    ["NL", "1012 AB", "1012 AB"],
    ["NL", "0123 AB", null],
    ["IT", "00184", "00184"],
    ["ES", "28013", "28013"],
    ["ES", "53013", null], // provinces stop at 52
    ["AU", "2000", "2000"],
    ["AU", "20000", null],
    ["JP", "1000001", "100-0001"],
    ["JP", "100-0001", "100-0001"],
    ["JP", "100-001", null],
    ["CH", "8001", "8001"],
    ["AT", "1010", "1010"],
    ["AT", "10100", null],
    ["PT", "1100053", "1100-053"],
    ["PL", "00950", "00-950"],
    ["SE", "11455", "114 55"],
    ["IE", "d02x285", "D02 X285"],
    ["LV", "1050", "LV-1050"],
    ["LT", "LT-01100", "LT-01100"],
    ["LU", "L-1009", "1009"],
    ["MT", "vlt1117", "VLT 1117"],
    ["NO", "0150", "0150"],
  ];
  it.each(table)("%s %s", (country, input, expected) => {
    const r = normalisePostalCode(country, input);
    if (expected === null) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(country);
    } else expect(r).toEqual({ ok: true, value: expected });
  });
});

describe("validateAddress", () => {
  it("normalises whitespace, country and postcode case, and empty optionals", () => {
    const r = validateAddress({
      name: "  Jane   Doe ",
      line1: " 10 Downing St ",
      line2: "  ",
      city: "London",
      region: "",
      postalCode: "sw1a 2aa",
      country: "gb",
      phone: "+44 20 7946 0000",
    });
    expect(r).toEqual({
      ok: true,
      address: {
        name: "Jane Doe",
        line1: "10 Downing St",
        line2: null,
        city: "London",
        region: null,
        postalCode: "SW1A 2AA",
        country: "GB",
        phone: "+442079460000",
      },
    });
  });

  it("names every missing required field", () => {
    const r = validateAddress({ line2: "Apt 1" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path).sort()).toEqual(["city", "country", "line1", "name", "postalCode"]);
  });

  it("refuses countries outside the list and codes that are not ISO-2", () => {
    const outside = validateAddress({ ...base, country: "RU", postalCode: "101000" });
    expect(outside).toEqual({ ok: false, issues: [{ path: "country", message: "we do not ship to RU" }] });
    const notIso = validateAddress({ ...base, country: "Portugal" });
    expect(notIso.ok).toBe(false);
    if (!notIso.ok) expect(notIso.issues[0]!.path).toBe("country");
  });

  it("checks the postcode against the country", () => {
    const r = validateAddress({ ...base, country: "DE", postalCode: "1100-053" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ path: "postalCode", message: expect.stringContaining("DE postal code") }]);
  });

  it("refuses wrong types, overlong fields, bad phones and US regions that are not state codes", () => {
    const r = validateAddress({
      name: 42,
      line1: "x".repeat(201),
      city: "Austin",
      region: "Texas",
      postalCode: "78701",
      country: "US",
      phone: "call me",
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path).sort()).toEqual(["line1", "name", "phone", "region"]);
    const ok = validateAddress({ name: "A", line1: "1 Main St", city: "Austin", region: "tx", postalCode: "78701", country: "us" });
    expect(ok.ok && ok.address.region).toBe("TX");
  });

  it("is not fooled by non-objects", () => {
    for (const input of [null, "PT", 12, [base]]) expect(validateAddress(input).ok).toBe(false);
  });

  it("ships to every EU country and the others promised", () => {
    for (const c of [...EU_COUNTRIES, "GB", "US", "CA", "AU", "CH", "NO", "JP"]) expect(SHIPPING_COUNTRIES.has(c)).toBe(true);
    expect(EU_COUNTRIES).toHaveLength(27);
  });

  it("strips control characters so they never reach a label", () => {
    const r = validateAddress({ ...base, line1: "Rua\u0000Augusta\n100" });
    expect(r.ok && r.address.line1).toBe("Rua Augusta 100");
  });
});
