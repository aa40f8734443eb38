/**
 * The invoices family: invoices and credit notes (one table, `kind` tells
 * them apart) and the counters that number them. A document's number is
 * `<series>-<year>-<6 digits>`, gap-free per series and year: the counter
 * row of (series, year) is locked and bumped in the transaction that inserts
 * the document, so a rolled-back issuance gives its number back. Orders,
 * users and refunds are referred to by id only.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const invoicesSchema = pgSchema("invoices");

export const DOCUMENT_KINDS = ["invoice", "credit_note"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** One line of a document, as printed: amounts in minor units, negative on a credit note. */
export interface DocumentLine {
  description: string;
  sku: string | null;
  quantity: number;
  unitPriceMinor: number;
  /** Basis points: 1900 = 19 %. */
  taxRateBp: number;
  taxMinor: number;
  /** What the line adds to the total (tax included or not, as the document says). */
  amountMinor: number;
}

export interface PartyDetails {
  name: string;
  addressLines: string[];
  country: string;
  vatId?: string | null;
  email?: string | null;
}

/** Everything a document shows; the PDF is drawn from it and carries it as an attachment. */
export interface DocumentContent {
  kind: DocumentKind;
  number: string;
  issuedAt: string;
  orderId: string;
  orderNumber: string;
  /** The invoice a credit note corrects. */
  invoiceNumber: string | null;
  reason: string | null;
  currency: string;
  taxIncluded: boolean;
  seller: PartyDetails;
  buyer: PartyDetails;
  lines: DocumentLine[];
  shipping: { amountMinor: number; taxRateBp: number; taxMinor: number } | null;
  taxRates: { rateBp: number; netMinor: number; taxMinor: number }[];
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export const invoiceCounters = invoicesSchema.table(
  "counters",
  {
    series: text("series").notNull(),
    year: integer("year").notNull(),
    lastNumber: integer("last_number").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.series, t.year] })],
);

export const invoiceDocuments = invoicesSchema.table(
  "documents",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: DOCUMENT_KINDS }).notNull(),
    series: text("series").notNull(),
    year: integer("year").notNull(),
    seq: integer("seq").notNull(),
    number: text("number").notNull(),
    orderId: text("order_id").notNull(),
    userId: text("user_id").notNull(),
    /** What the document answers: the order id for an invoice, the refund id for a credit note (one document each). */
    sourceId: text("source_id").notNull(),
    /** The invoice a credit note corrects. */
    invoiceId: text("invoice_id"),
    currency: text("currency").notNull(),
    taxMinor: money("tax_minor").notNull(),
    totalMinor: money("total_minor").notNull(),
    content: jsonb("content").$type<DocumentContent>().notNull(),
    /** The PDF's key in the bucket and its size. */
    pdfKey: text("pdf_key"),
    pdfBytes: integer("pdf_bytes"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("documents_number_uq").on(t.number),
    uniqueIndex("documents_series_year_seq_uq").on(t.series, t.year, t.seq),
    uniqueIndex("documents_kind_source_uq").on(t.kind, t.sourceId),
    index("documents_order_idx").on(t.orderId, t.issuedAt),
    check("documents_sign", sql`(${t.kind} = 'invoice' and ${t.totalMinor} >= 0) or (${t.kind} = 'credit_note' and ${t.totalMinor} <= 0)`),
  ],
);
