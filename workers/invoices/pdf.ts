/**
 * The printable document (A4, pdf-lib's standard Helvetica): seller and
 * buyer, the number and dates, the lines with quantity, unit price, tax rate
 * and tax, the shipping, the totals per tax rate and the grand total. The
 * document's data also travels inside the file, as a JSON attachment and as
 * the `InvoiceData` entry of the document information, so a reader (or a
 * test) can compare the printed totals with the order without parsing text.
 */
import { PDFDict, PDFDocument, type PDFFont, PDFHexString, PDFName, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { DocumentContent } from "../../db/schema/invoices.ts";

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.42, 0.45, 0.5);
export const INFO_KEY = "InvoiceData";

/** The standard fonts encode WinAnsi only: anything else prints as "?" rather than failing the document. */
const printable = (text: string) => text.replace(/[^\u0020-\u007E\u00A0-\u00FF]/g, "?");

/** Minor units in the currency's own decimals (2 for EUR, 0 for JPY). */
function money(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const major = minor / 10 ** digits;
  return `${major.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}
const percent = (bp: number) => `${(bp / 100).toFixed(2)} %`;

interface Pen {
  doc: PDFDocument;
  page: PDFPage;
  y: number;
  font: PDFFont;
  bold: PDFFont;
}

function text(p: Pen, s: string, x: number, opts: { bold?: boolean; size?: number; right?: boolean; muted?: boolean } = {}) {
  const font = opts.bold ? p.bold : p.font;
  const size = opts.size ?? 9;
  const t = printable(s);
  const at = opts.right ? x - font.widthOfTextAtSize(t, size) : x;
  p.page.drawText(t, { x: at, y: p.y, size, font, color: opts.muted ? MUTED : INK });
}

function nextLine(p: Pen, height = 13) {
  p.y -= height;
  if (p.y > PAGE.margin + 20) return;
  p.page = p.doc.addPage([PAGE.width, PAGE.height]);
  p.y = PAGE.height - PAGE.margin;
}

// Columns of the lines table: description, quantity, unit price, tax rate, tax, amount (right edges but the first).
const COLS = { description: PAGE.margin, quantity: 300, unit: 370, rate: 420, tax: 480, amount: PAGE.width - PAGE.margin };

export async function renderDocumentPdf(d: DocumentContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const title = d.kind === "invoice" ? "Invoice" : "Credit note";
  doc.setTitle(`${title} ${d.number}`);
  doc.setAuthor(printable(d.seller.name));
  doc.setSubject(`${title} ${d.number} for order ${d.orderNumber}`);
  // Fixed dates keep the bytes a function of the content.
  doc.setCreationDate(new Date(d.issuedAt));
  doc.setModificationDate(new Date(d.issuedAt));
  const json = JSON.stringify(d);
  // The information dictionary the setters above created (pdf-lib keeps its accessor private).
  doc.context.lookup(doc.context.trailerInfo.Info, PDFDict).set(PDFName.of(INFO_KEY), PDFHexString.fromText(json));
  await doc.attach(new TextEncoder().encode(json), `${d.number}.json`, {
    mimeType: "application/json",
    description: `${title} data`,
    creationDate: new Date(d.issuedAt),
    modificationDate: new Date(d.issuedAt),
  });
  const p: Pen = {
    doc,
    page: doc.addPage([PAGE.width, PAGE.height]),
    y: PAGE.height - PAGE.margin,
    font: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const right = PAGE.width - PAGE.margin;

  text(p, d.seller.name, PAGE.margin, { bold: true, size: 12 });
  text(p, `${title} ${d.number}`, right, { bold: true, size: 14, right: true });
  for (const line of [...d.seller.addressLines, d.seller.country, d.seller.vatId ? `VAT ${d.seller.vatId}` : ""].filter(Boolean)) {
    nextLine(p);
    text(p, line, PAGE.margin, { muted: true });
  }
  nextLine(p, 28);
  text(p, "Bill to", PAGE.margin, { bold: true });
  text(p, `Issued ${d.issuedAt.slice(0, 10)}`, right, { right: true });
  nextLine(p);
  text(p, d.buyer.name, PAGE.margin);
  text(p, `Order ${d.orderNumber}`, right, { right: true });
  for (const line of [...d.buyer.addressLines, d.buyer.country, d.buyer.email ?? ""].filter(Boolean)) {
    nextLine(p);
    text(p, line, PAGE.margin, { muted: true });
  }
  if (d.invoiceNumber) {
    nextLine(p, 18);
    text(p, `Corrects invoice ${d.invoiceNumber}${d.reason ? ` (${d.reason.replaceAll("_", " ")})` : ""}`, PAGE.margin);
  }

  nextLine(p, 30);
  text(p, "Description", COLS.description, { bold: true });
  text(p, "Qty", COLS.quantity, { bold: true, right: true });
  text(p, "Unit price", COLS.unit, { bold: true, right: true });
  text(p, "Tax rate", COLS.rate, { bold: true, right: true });
  text(p, "Tax", COLS.tax, { bold: true, right: true });
  text(p, d.taxIncluded ? "Amount (incl. tax)" : "Amount (excl. tax)", COLS.amount, { bold: true, right: true });
  const row = (label: string, qty: string, unit: number | null, rateBp: number, tax: number, amount: number) => {
    nextLine(p);
    text(p, label.length > 52 ? `${label.slice(0, 49)}...` : label, COLS.description);
    text(p, qty, COLS.quantity, { right: true });
    if (unit !== null) text(p, money(unit, d.currency), COLS.unit, { right: true });
    text(p, percent(rateBp), COLS.rate, { right: true });
    text(p, money(tax, d.currency), COLS.tax, { right: true });
    text(p, money(amount, d.currency), COLS.amount, { right: true });
  };
  for (const l of d.lines) row(l.description, String(l.quantity), l.unitPriceMinor, l.taxRateBp, l.taxMinor, l.amountMinor);
  if (d.shipping) row("Shipping", "", null, d.shipping.taxRateBp, d.shipping.taxMinor, d.shipping.amountMinor);

  nextLine(p, 26);
  text(p, "Tax rate", COLS.rate, { bold: true, right: true });
  text(p, "Net", COLS.tax, { bold: true, right: true });
  text(p, "Tax", COLS.amount, { bold: true, right: true });
  for (const r of d.taxRates) {
    nextLine(p);
    text(p, percent(r.rateBp), COLS.rate, { right: true });
    text(p, money(r.netMinor, d.currency), COLS.tax, { right: true });
    text(p, money(r.taxMinor, d.currency), COLS.amount, { right: true });
  }
  nextLine(p, 22);
  text(p, "Net total", COLS.tax, { right: true });
  text(p, money(d.netMinor, d.currency), COLS.amount, { right: true });
  nextLine(p);
  text(p, "Tax total", COLS.tax, { right: true });
  text(p, money(d.taxMinor, d.currency), COLS.amount, { right: true });
  nextLine(p, 16);
  text(p, d.kind === "invoice" ? "Total due" : "Total credited", COLS.tax, { bold: true, right: true });
  text(p, money(d.totalMinor, d.currency), COLS.amount, { bold: true, right: true });
  return doc.save({ useObjectStreams: false });
}
