/**
 * CSV (RFC 4180): UTF-8 with a byte-order mark (so spreadsheets read it as
 * UTF-8), CRLF line ends, a header row per section, fields quoted when they
 * hold a comma, a quote or a line break. A report of several sections writes
 * them one after the other, each with its header row, separated by an empty
 * line. Money is written in major units with the currency's decimals.
 *
 * Formula injection: a text cell that a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) is prefixed with a
 * single quote, so `=cmd|' /C calc'!A0` arrives as text. Numbers are written
 * as numbers, so a negative amount stays a number.
 */
import { type Cell, type Column, fractionDigits, headerLabel, major, type Report, type Sink } from "./report-model.ts";

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, neutralised and quoted as needed. */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(value: Cell, column: Column, digits: number): string {
  if (value === null) return "";
  if (typeof value === "string") return csvField(value);
  if (column.type === "money") return major(value, digits).toFixed(digits);
  return String(value);
}

export async function writeCsv(report: Report, sink: Sink): Promise<void> {
  const encoder = new TextEncoder();
  const digits = fractionDigits(report.currency);
  sink(new Uint8Array([0xef, 0xbb, 0xbf]));
  let first = true;
  for (const section of report.sections) {
    const header = section.columns.map((c) => csvField(headerLabel(c, report.currency))).join(",");
    sink(encoder.encode(`${first ? "" : "\r\n"}${header}\r\n`));
    first = false;
    for await (const page of section.pages()) {
      let text = "";
      for (const row of page) text += `${section.columns.map((c) => cellText(row[c.key] ?? null, c, digits)).join(",")}\r\n`;
      sink(encoder.encode(text));
    }
  }
}
