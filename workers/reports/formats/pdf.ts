/**
 * PDF: a printable document (A4, pdf-lib's standard Helvetica) with the
 * shop's name, the report's title, period and currency, and per section its
 * chart (bars, e.g. revenue per day) and its table, continued over as many
 * pages as it needs, with page numbers. A printed table is for reading, so a
 * section prints its first MAX_PDF_ROWS rows and says how many more the CSV
 * and Excel files hold.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { drawBarChart } from "./pdf-chart.ts";
import {
  type Cell,
  type Chart,
  type Column,
  fractionDigits,
  headerLabel,
  major,
  type Report,
  type Row,
  type Sink,
} from "./report-model.ts";

export const MAX_PDF_ROWS = 300;
const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const ROW_HEIGHT = 14;
const FONT_SIZE = 8;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.42, 0.45, 0.5);
const RULE = rgb(0.82, 0.84, 0.87);

/** The standard fonts encode WinAnsi only: anything else is shown as "?" rather than failing the document. */
export const printable = (text: string) => text.replace(/[^\u0020-\u007E\u00A0-\u00FF]/g, "?");

export function formatCell(value: Cell, column: Column, digits: number): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (column.type === "money")
    return major(value, digits).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (column.type === "rate") return `${(value * 100).toFixed(1)}%`;
  return value.toLocaleString("en-US");
}

interface Cursor {
  doc: PDFDocument;
  page: PDFPage;
  y: number;
  font: PDFFont;
  bold: PDFFont;
}

function newPage(c: Cursor) {
  c.page = c.doc.addPage([PAGE.width, PAGE.height]);
  c.y = PAGE.height - PAGE.margin;
}

function ensureRoom(c: Cursor, height: number): boolean {
  if (c.y - height >= PAGE.margin + 14) return false;
  newPage(c);
  return true;
}

function fitText(text: string, font: PDFFont, size: number, width: number): string {
  let t = printable(text);
  if (font.widthOfTextAtSize(t, size) <= width) return t;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
  return `${t}...`;
}

function drawRow(c: Cursor, columns: Column[], texts: string[], font: PDFFont) {
  const width = (PAGE.width - 2 * PAGE.margin) / columns.length;
  texts.forEach((raw, i) => {
    const text = fitText(raw, font, FONT_SIZE, width - 6);
    const right = columns[i]!.type !== "text" && columns[i]!.type !== "date";
    const x = PAGE.margin + i * width + (right ? width - 3 - font.widthOfTextAtSize(text, FONT_SIZE) : 3);
    c.page.drawText(text, { x, y: c.y - 10, size: FONT_SIZE, font, color: INK });
  });
  c.y -= ROW_HEIGHT;
}

function drawHeader(c: Cursor, columns: Column[], currency: string | null) {
  drawRow(
    c,
    columns,
    columns.map((col) => headerLabel(col, currency)),
    c.bold,
  );
  c.page.drawLine({
    start: { x: PAGE.margin, y: c.y + 2 },
    end: { x: PAGE.width - PAGE.margin, y: c.y + 2 },
    thickness: 0.7,
    color: RULE,
  });
}

function text(c: Cursor, value: string, size: number, font: PDFFont, color = INK) {
  c.page.drawText(printable(value), { x: PAGE.margin, y: c.y - size, size, font, color });
  c.y -= size + 6;
}

export async function writePdf(report: Report, sink: Sink): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`${report.title} - ${report.shopName}`));
  doc.setProducer(printable(report.shopName));
  doc.setCreationDate(report.generatedAt);
  const c: Cursor = {
    doc,
    page: doc.addPage([PAGE.width, PAGE.height]),
    y: PAGE.height - PAGE.margin,
    font: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const digits = fractionDigits(report.currency);
  const to = new Date(report.period.to.getTime() - 1).toISOString().slice(0, 10);
  text(c, report.shopName, 16, c.bold);
  text(c, report.title, 13, c.bold);
  text(
    c,
    `Period: ${report.period.from.toISOString().slice(0, 10)} to ${to}${report.currency ? `   Currency: ${report.currency}` : ""}`,
    10,
    c.font,
  );
  text(c, `Generated ${report.generatedAt.toISOString().replace("T", " ").slice(0, 16)} UTC`, 8, c.font, MUTED);

  for (const section of report.sections) {
    c.y -= 8;
    ensureRoom(c, 60);
    text(c, section.title, 11, c.bold);
    const kept: Row[] = [];
    let total = 0;
    for await (const page of section.pages()) {
      for (const row of page) if (kept.length < MAX_PDF_ROWS) kept.push(row);
      total += page.length;
    }
    if (section.chart && kept.length > 0) drawChart(c, section.chart, kept);
    if (kept.length === 0) {
      text(c, "No rows for this period.", 9, c.font, MUTED);
      continue;
    }
    drawHeader(c, section.columns, report.currency);
    for (const row of kept) {
      if (ensureRoom(c, ROW_HEIGHT)) drawHeader(c, section.columns, report.currency);
      drawRow(
        c,
        section.columns,
        section.columns.map((col) => formatCell(row[col.key] ?? null, col, digits)),
        c.font,
      );
    }
    if (total > kept.length) text(c, `... and ${total - kept.length} more rows in the CSV and Excel files.`, 8, c.font, MUTED);
  }

  const pages = doc.getPages();
  for (const [i, p] of pages.entries())
    p.drawText(`${printable(report.shopName)} - page ${i + 1} of ${pages.length}`, {
      x: PAGE.margin,
      y: PAGE.margin / 2,
      size: 7,
      font: c.font,
      color: MUTED,
    });
  sink(await doc.save());
}

function drawChart(c: Cursor, chart: Chart, rows: Row[]) {
  const height = 150;
  ensureRoom(c, height + 30);
  drawBarChart(c.page, c.font, {
    x: PAGE.margin,
    y: c.y - height - 14,
    width: PAGE.width - 2 * PAGE.margin,
    height,
    title: printable(chart.title),
    bars: rows.map((r) => ({ label: printable(String(r[chart.label] ?? "")), value: Number(r[chart.value] ?? 0) })),
  });
  c.y -= height + 30;
}
