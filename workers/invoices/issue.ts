/**
 * The events that issue documents. OrderConfirmed issues the order's
 * invoice; RefundIssued (a cancellation's, a return's or a goodwill refund)
 * issues a credit note against it. Both run in the consumer's transaction
 * and are idempotent on their source (the order, the refund), so a
 * redelivered event issues nothing twice. A refund may be handled before the
 * confirmation it follows (the queue does not keep order): the invoice is
 * then issued first, from the order, if the order was ever confirmed; an
 * order refunded without having been confirmed has no invoice to correct.
 */
import type { z } from "zod";
import type { DocumentContent, PartyDetails } from "../../db/schema/invoices.ts";
import { loadBundle, type OrderBundle } from "../../durable-objects/order/index.ts";
import type { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import type { RefundIssued } from "../../queues/contracts/events/payment.ts";
import { findNotificationContact } from "../identity/index.ts";
import { type Tx, withDb } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import type { HandlerContext } from "../platform/event-handlers.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { invoicesConfig } from "./config.ts";
import { creditNoteContent, type InvoiceSource, invoiceContent, SERIES } from "./document-rules.ts";
import { type DocumentRow, INVOICES_BUCKET, invoiceOfOrder, issueDocument } from "./store.ts";

function seller(rt: Pick<Runtime, "vars">): PartyDetails {
  const c = invoicesConfig.read(rt);
  return {
    name: c.INVOICE_SELLER_NAME,
    addressLines: c.INVOICE_SELLER_ADDRESS.split("|"),
    country: c.INVOICE_SELLER_COUNTRY,
    vatId: c.INVOICE_SELLER_VAT_ID,
  };
}

async function buyer(tx: Tx, b: OrderBundle): Promise<PartyDetails> {
  const a = b.order.shippingAddress as {
    name: string;
    line1: string;
    line2?: string | null;
    postalCode: string;
    city: string;
    region?: string | null;
    country: string;
  };
  const contact = await findNotificationContact(tx, b.order.userId);
  return {
    name: a.name,
    addressLines: [a.line1, a.line2 ?? "", `${a.postalCode} ${a.city}${a.region ? `, ${a.region}` : ""}`].filter(Boolean),
    country: a.country,
    // A guest order has no account: its buyer is reached at the address given at checkout.
    email: contact?.email ?? b.order.guestEmail ?? null,
  };
}

function sourceOf(b: OrderBundle): InvoiceSource {
  const o = b.order;
  return {
    orderId: o.id,
    orderNumber: o.number,
    currency: o.currency,
    taxIncluded: o.taxIncluded,
    totalMinor: o.totalMinor,
    shippingMinor: o.shippingMinor,
    shippingTax: o.taxDetail?.shipping ?? null,
    lines: b.lines,
  };
}

/** The order's invoice, issued now if it has none. */
async function ensureInvoice(tx: Tx, rt: Runtime, b: OrderBundle): Promise<DocumentRow> {
  const [sellerDetails, buyerDetails] = [seller(rt), await buyer(tx, b)];
  return issueDocument(tx, rt, {
    kind: "invoice",
    series: SERIES.invoice,
    sourceId: b.order.id,
    orderId: b.order.id,
    userId: b.order.userId,
    invoiceId: null,
    content: (number, issuedAt) =>
      invoiceContent(sourceOf(b), { number, issuedAt: issuedAt.toISOString(), seller: sellerDetails, buyer: buyerDetails }),
  });
}

export async function invoiceOnConfirmation(event: Envelope<z.output<typeof OrderConfirmed.payload>>, { tx, rt }: HandlerContext) {
  const b = await loadBundle(tx, event.payload.orderId);
  if (!b) {
    log.warn("invoices.order_missing", { orderId: event.payload.orderId, eventId: event.id });
    return;
  }
  await ensureInvoice(tx, rt, b);
}

export async function creditNoteOnRefund(event: Envelope<z.output<typeof RefundIssued.payload>>, { tx, rt }: HandlerContext) {
  const p = event.payload;
  let invoice = await invoiceOfOrder(tx, p.orderId);
  if (!invoice) {
    const b = await loadBundle(tx, p.orderId);
    if (!b?.timeline.some((t) => t.status === "confirmed")) {
      log.info("invoices.refund_without_invoice", { orderId: p.orderId, refundId: p.refundId });
      return;
    }
    invoice = await ensureInvoice(tx, rt, b);
  }
  const invoiceContentRow: DocumentContent = invoice.content;
  const inv = invoice;
  await issueDocument(tx, rt, {
    kind: "credit_note",
    series: SERIES.credit_note,
    sourceId: p.refundId,
    orderId: p.orderId,
    userId: inv.userId,
    invoiceId: inv.id,
    content: (number, issuedAt) =>
      creditNoteContent(invoiceContentRow, p.amountMinor, p.reason, {
        number,
        issuedAt: issuedAt.toISOString(),
        seller: invoiceContentRow.seller,
        buyer: invoiceContentRow.buyer,
      }),
  });
}

/** An order's invoice as the confirmation mail attaches it. */
export interface InvoiceAttachment {
  number: string;
  pdf: Uint8Array;
}

/**
 * The confirmed order's invoice for its confirmation mail: issued now if the
 * invoices handler has not issued it yet (the same issuance, idempotent on
 * the order and numbered under the counter's lock, so whichever comes first
 * issues it and the other finds it), in a transaction of its own that commits
 * before the mail can go out, so the number a mail carries is never given
 * back. Null when there is no such order.
 */
export async function invoiceForMail(rt: Runtime, orderId: string): Promise<InvoiceAttachment | null> {
  const doc = await withDb(rt, (db) =>
    db.transaction(async (tx) => {
      const existing = await invoiceOfOrder(tx, orderId);
      if (existing) return existing;
      const b = await loadBundle(tx, orderId);
      return b ? ensureInvoice(tx, rt, b) : null;
    }),
  );
  if (!doc) return null;
  const object = doc.pdfKey ? await rt.blobs.bucket(INVOICES_BUCKET).get(doc.pdfKey) : null;
  // The file is stored before its document row commits: a row without it is a lost object, which a retry cannot mend.
  if (!object) throw new Error(`invoice ${doc.number} of order ${orderId} has no PDF at ${doc.pdfKey}`);
  return { number: doc.number, pdf: new Uint8Array(await object.arrayBuffer()) };
}
