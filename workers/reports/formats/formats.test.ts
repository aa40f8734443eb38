/**
 * The three writers on one fixed report: CSV escaping (formula injection
 * included), the XLSX read back with a spreadsheet parser (types, number
 * formats, frozen header, one sheet per section), the PDF's text extracted.
 */
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { csvField, writeCsv } from "./csv.ts";
import { MAX_PDF_ROWS, writePdf } from "./pdf.ts";
import { collector, type Report, type Row, sectionOf } from "./report-model.ts";
import { columnName, sheetNames, writeXlsx } from "./xlsx.ts";

const HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-2+3", '@HYPERLINK("x")', "\tTAB", 'He said "hi", then left\r\nnew line', "plain"];

function report(dayRows = 7): Report {
  const days: Row[] = Array.from({ length: dayRows }, (_, i) => ({
    day: new Date(Date.UTC(2026, 2, 2 + i)).toISOString().slice(0, 10),
    orders: 10 + i,
    revenue: 123_456 * (i + 1),
    share: (i + 1) / 100,
  }));
  return {
    shopName: "Edge Commerce",
    title: "Weekly sales",
    period: { from: new Date("2026-03-02T00:00:00Z"), to: new Date("2026-03-09T00:00:00Z") },
    currency: "USD",
    generatedAt: new Date("2026-03-09T06:00:00Z"),
    sections: [
      sectionOf(
        "Per day",
        [
          { key: "day", label: "Day", type: "date" },
          { key: "orders", label: "Orders", type: "integer" },
          { key: "revenue", label: "Revenue", type: "money" },
          { key: "share", label: "Share", type: "rate" },
        ],
        days,
        { label: "day", value: "revenue", title: "Revenue per day" },
      ),
      sectionOf(
        "Products",
        [
          { key: "name", label: "Product", type: "text" },
          { key: "refunded", label: "Refunded", type: "money" },
        ],
        HOSTILE.map((name, i) => ({ name, refunded: i === 0 ? -1500 : i * 100 })),
      ),
    ],
  };
}

async function bytesOf(write: (r: Report, s: (c: Uint8Array) => void) => Promise<void>, r = report()) {
  const out = collector();
  await write(r, out.sink);
  return out.bytes();
}

describe("csv", () => {
  it("neutralises formulas and quotes per RFC 4180", () => {
    expect(csvField("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@x")).toBe("'@x");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe('"\'\rx"');
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("plain")).toBe("plain");
  });

  it("writes a BOM, CRLF lines, a header row per section, money in major units, negative numbers as numbers", async () => {
    const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(await bytesOf(writeCsv));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe("Day,Orders,Revenue (USD),Share");
    expect(lines[1]).toBe("2026-03-02,10,1234.56,0.01");
    expect(lines[8]).toBe("");
    expect(lines[9]).toBe("Product,Refunded (USD)");
    expect(lines[10]).toBe("'=cmd|' /C calc'!A0,-15.00");
    expect(lines[11]).toBe("'+SUM(A1:A2),1.00");
    expect(lines[13]).toBe('"\'@HYPERLINK(""x"")",3.00');
    expect(text).toContain('"He said ""hi"", then left\r\nnew line",5.00');
    // No line but the embedded one breaks a quoted field: every other line parses to its section's width.
    expect(text.endsWith("plain,6.00\r\n")).toBe(true);
  });
});

describe("xlsx", () => {
  it("names columns and sheets as Excel requires", () => {
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(["A", "Z", "AA", "ZZ", "AAA"]);
    expect(sheetNames(["a/b:c*", "x".repeat(40), "x".repeat(40), ""])).toEqual(["a b c", "x".repeat(31), `${"x".repeat(29)} 2`, "Sheet"]);
  });

  it("reads back: one sheet per section, typed cells, money format, frozen header", async () => {
    const book = XLSX.read(await bytesOf(writeXlsx), { type: "array", cellStyles: true, cellNF: true });
    expect(book.SheetNames).toEqual(["Report", "Per day", "Products"]);
    const about = XLSX.utils.sheet_to_json<Record<string, string>>(book.Sheets.Report!);
    expect(about).toContainEqual({ Field: "Shop", Value: "Edge Commerce" });
    expect(about).toContainEqual({ Field: "Currency", Value: "USD" });

    const days = book.Sheets["Per day"]!;
    expect(days.A1).toMatchObject({ t: "s", v: "Day" });
    expect(days.C1).toMatchObject({ t: "s", v: "Revenue (USD)" });
    expect(days.B2).toMatchObject({ t: "n", v: 10 });
    expect(days.C2).toMatchObject({ t: "n", v: 1234.56, z: "#,##0.00" });
    expect(days.D2).toMatchObject({ t: "n", v: 0.01, z: "0.00%" });
    // 2026-03-02 as an Excel date serial, formatted as a date.
    expect(days.A2).toMatchObject({ t: "n", v: 46083, z: "yyyy-mm-dd" });
    expect(days["!ref"]).toBe("A1:D8");

    const products = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.Products!);
    expect(products.map((p) => p.Product)).toEqual(HOSTILE);
    expect(products[0]!["Refunded (USD)"]).toBe(-15);
    // Text never becomes a formula.
    expect(book.Sheets.Products!.A2).toMatchObject({ t: "s" });
    expect(book.Sheets.Products!.A2.f).toBeUndefined();
  });

  it("freezes the header row of every sheet", async () => {
    const { unzipSync, strFromU8 } = await import("fflate");
    const files = unzipSync(await bytesOf(writeXlsx));
    for (const n of [1, 2, 3]) expect(strFromU8(files[`xl/worksheets/sheet${n}.xml`]!)).toContain('ySplit="1" topLeftCell="A2"');
  });
});

describe("pdf", () => {
  it("carries the shop, period, tables' figures and the chart's title", async () => {
    const bytes = await bytesOf(writePdf);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const { text, totalPages } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(totalPages).toBe(1);
    for (const want of ["Edge Commerce", "Weekly sales", "Period: 2026-03-02 to 2026-03-08", "Revenue per day", "Revenue (USD)"])
      expect(text).toContain(want);
    // Money with grouping and the currency's decimals, per day.
    for (let i = 1; i <= 7; i++) expect(text).toContain((1234.56 * i).toLocaleString("en-US", { minimumFractionDigits: 2 }));
    expect(text).toContain("-15.00");
    expect(text).toContain("=cmd|' /C calc'!A0");
  });

  it("runs over several pages and caps a long table", async () => {
    const bytes = await bytesOf(writePdf, report(MAX_PDF_ROWS + 50));
    const { text, totalPages } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(totalPages).toBeGreaterThan(3);
    expect(text).toContain("and 50 more rows in the CSV and Excel files");
    expect(text).toContain(`page ${totalPages} of ${totalPages}`);
  });
});
