import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay, formatMoney, formatNumber, formatPercent, isoDay } from "./format.ts";

describe("formatters", () => {
  it("writes minor units as the locale writes money, with the currency's own decimals", () => {
    expect(formatMoney(123456, "USD", "en-US")).toBe("$1,234.56");
    expect(formatMoney(123456, "EUR", "de-DE")).toBe("1.234,56\u00a0€");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatMoney(null, "USD", "en-US")).toBe("—");
  });

  it("formats numbers, shares and missing values", () => {
    expect(formatNumber(1234567, "en-US")).toBe("1,234,567");
    expect(formatNumber(1234567, "fr-FR")).toBe("1\u202f234\u202f567");
    expect(formatPercent(0.1234, "en-US")).toBe("12.3%");
    expect(formatPercent(null)).toBe("—");
  });

  it("formats instants in a time zone and calendar days without shifting them", () => {
    expect(formatDateTime("2026-03-04T23:30:00Z", "en-GB", "UTC")).toBe("4 Mar 2026, 23:30");
    expect(formatDateTime("2026-03-04T23:30:00Z", "en-US", "Asia/Tokyo")).toMatch(/^Mar 5, 2026, 8:30\sAM$/);
    expect(formatDay("2026-03-04", "en-US")).toBe("Mar 4, 2026");
    expect(formatDateTime("not a date", "en-US")).toBe("not a date");
    expect(isoDay(new Date("2026-03-04T12:00:00Z"), -7)).toBe("2026-02-25");
  });
});
