/**
 * Issuing a document, in the caller's transaction: the counter row of its
 * (series, year) is created if missing and locked (`for update`), which
 * serialises every issuance of that series and year; then, if the source
 * (order or refund) already has its document, that one is returned and
 * nothing changes; otherwise the next number is taken, the PDF is stored and
 * the document inserted. A rolled-back transaction gives its number back, so
 * the numbers have no gaps and no repeats. The PDF's key is the document's
 * id, never its number: a rolled-back attempt can only leave an unreferenced
 * object behind, never a file under a number another document then takes.
 */
import { and, asc, eq } from "drizzle-orm";
import { type DocumentContent, type DocumentKind, invoiceCounters, invoiceDocuments } from "../../db/schema/invoices.ts";
import type { Queryable, Tx } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { documentNumber } from "./document-rules.ts";
import { renderDocumentPdf } from "./pdf.ts";

/** Invoices share the reports bucket under their own prefix. */
export const INVOICES_BUCKET = "REPORTS";
const PREFIX = "invoices/";

export type DocumentRow = typeof invoiceDocuments.$inferSelect;

export interface Issuance {
  kind: DocumentKind;
  series: string;
  sourceId: string;
  orderId: string;
  userId: string;
  invoiceId: string | null;
  /** The content under the number it gets. */
  content: (number: string, issuedAt: Date) => DocumentContent;
}

/** Locks the (series, year) counter and answers its last number. */
async function lockCounter(tx: Tx, series: string, year: number): Promise<number> {
  await tx.insert(invoiceCounters).values({ series, year, lastNumber: 0 }).onConflictDoNothing();
  const [row] = await tx
    .select({ last: invoiceCounters.lastNumber })
    .from(invoiceCounters)
    .where(and(eq(invoiceCounters.series, series), eq(invoiceCounters.year, year)))
    .for("update");
  return row!.last;
}

export async function issueDocument(tx: Tx, rt: Pick<Runtime, "blobs" | "clock">, input: Issuance): Promise<DocumentRow> {
  const issuedAt = rt.clock.now();
  const year = issuedAt.getUTCFullYear();
  const last = await lockCounter(tx, input.series, year);
  const [existing] = await tx
    .select()
    .from(invoiceDocuments)
    .where(and(eq(invoiceDocuments.kind, input.kind), eq(invoiceDocuments.sourceId, input.sourceId)));
  if (existing) return existing;
  const seq = last + 1;
  const number = documentNumber(input.series, year, seq);
  const content = input.content(number, issuedAt);
  const id = newId(input.kind === "invoice" ? "inv" : "crn", issuedAt.getTime());
  const pdf = await renderDocumentPdf(content);
  const pdfKey = `${PREFIX}${year}/${id}.pdf`;
  await rt.blobs.bucket(INVOICES_BUCKET).put(pdfKey, pdf, {
    httpMetadata: { contentType: "application/pdf" },
    customMetadata: { number, orderId: input.orderId },
  });
  await tx
    .update(invoiceCounters)
    .set({ lastNumber: seq })
    .where(and(eq(invoiceCounters.series, input.series), eq(invoiceCounters.year, year)));
  const [row] = await tx
    .insert(invoiceDocuments)
    .values({
      id,
      kind: input.kind,
      series: input.series,
      year,
      seq,
      number,
      orderId: input.orderId,
      userId: input.userId,
      sourceId: input.sourceId,
      invoiceId: input.invoiceId,
      currency: content.currency,
      taxMinor: content.taxMinor,
      totalMinor: content.totalMinor,
      content,
      pdfKey,
      pdfBytes: pdf.byteLength,
      issuedAt,
    })
    .returning();
  return row!;
}

/** An order's documents, the invoice first, then its credit notes as issued. */
export function documentsOfOrder(db: Queryable, orderId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(invoiceDocuments)
    .where(eq(invoiceDocuments.orderId, orderId))
    .orderBy(asc(invoiceDocuments.issuedAt), asc(invoiceDocuments.id));
}

export async function invoiceOfOrder(db: Queryable, orderId: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(invoiceDocuments)
    .where(and(eq(invoiceDocuments.kind, "invoice"), eq(invoiceDocuments.sourceId, orderId)));
  return row;
}
