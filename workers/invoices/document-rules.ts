/**
 * What an invoice and a credit note say (pure): lines, shipping, totals per
 * tax rate and the grand total, from the order as it was confirmed. The
 * invoice's total is the order's total. A line a promotion code took
 * something off shows what was paid for it (its share of the amount off is
 * taken from it), so its tax, computed on that, sits in the right rate;
 * any difference the lines and the shipping still do not explain is printed
 * as a discount line, so the two always agree. A credit note gives back a refund:
 * the whole invoice negated when the whole amount is refunded, otherwise the
 * amount shared out over the invoice's tax rates in proportion to their
 * gross amounts (largest remainder, so the parts add up to the refund).
 */
import type { DocumentContent, DocumentLine, PartyDetails } from "../../db/schema/invoices.ts";

export const SERIES = { invoice: "INV", credit_note: "CN" } as const;

/** `INV-2026-000042`. */
export const documentNumber = (series: string, year: number, seq: number) => `${series}-${year}-${String(seq).padStart(6, "0")}`;

export interface InvoiceSource {
  orderId: string;
  orderNumber: string;
  currency: string;
  taxIncluded: boolean;
  totalMinor: number;
  shippingMinor: number;
  shippingTax: { rateBp: number; taxMinor: number } | null;
  lines: {
    sku: string;
    name: string;
    options: Record<string, string>;
    quantity: number;
    unitPriceMinor: number;
    lineTotalMinor: number;
    taxRateBp: number;
    taxMinor: number;
    /** The line's share of the promotion codes' amount off: its tax was computed on what is left. */
    promotionDiscountMinor: number;
  }[];
}

interface Header {
  number: string;
  issuedAt: string;
  seller: PartyDetails;
  buyer: PartyDetails;
}

/** A line's net and gross: the tax is inside the amount where prices include it, on top otherwise. */
const netOf = (amountMinor: number, taxMinor: number, included: boolean) => (included ? amountMinor - taxMinor : amountMinor);
const grossOf = (amountMinor: number, taxMinor: number, included: boolean) => (included ? amountMinor : amountMinor + taxMinor);

function rateTotals(parts: { rateBp: number; amountMinor: number; taxMinor: number }[], included: boolean): DocumentContent["taxRates"] {
  const byRate = new Map<number, { netMinor: number; taxMinor: number }>();
  for (const p of parts) {
    const r = byRate.get(p.rateBp) ?? { netMinor: 0, taxMinor: 0 };
    r.netMinor += netOf(p.amountMinor, p.taxMinor, included);
    r.taxMinor += p.taxMinor;
    byRate.set(p.rateBp, r);
  }
  return [...byRate].sort(([a], [b]) => b - a).map(([rateBp, r]) => ({ rateBp, ...r }));
}

function totalsOf(content: Omit<DocumentContent, "taxRates" | "netMinor" | "taxMinor" | "totalMinor">): DocumentContent {
  const parts = content.lines.map((l) => ({ rateBp: l.taxRateBp, amountMinor: l.amountMinor, taxMinor: l.taxMinor }));
  if (content.shipping) parts.push({ rateBp: content.shipping.taxRateBp, ...content.shipping });
  const taxRates = rateTotals(parts, content.taxIncluded);
  const netMinor = taxRates.reduce((n, r) => n + r.netMinor, 0);
  const taxMinor = taxRates.reduce((n, r) => n + r.taxMinor, 0);
  return { ...content, taxRates, netMinor, taxMinor, totalMinor: netMinor + taxMinor };
}

export function invoiceContent(order: InvoiceSource, header: Header): DocumentContent {
  const lines: DocumentLine[] = order.lines.map((l) => {
    const options = Object.entries(l.options).map(([k, v]) => `${k}: ${v}`);
    const named = options.length ? `${l.name} (${options.join(", ")})` : l.name;
    return {
      description: l.promotionDiscountMinor > 0 ? `${named}, promotion applied` : named,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      taxRateBp: l.taxRateBp,
      taxMinor: l.taxMinor,
      amountMinor: l.lineTotalMinor - l.promotionDiscountMinor,
    };
  });
  const shipping =
    order.shippingMinor > 0 || order.shippingTax
      ? { amountMinor: order.shippingMinor, taxRateBp: order.shippingTax?.rateBp ?? 0, taxMinor: order.shippingTax?.taxMinor ?? 0 }
      : null;
  const explained =
    lines.reduce((n, l) => n + grossOf(l.amountMinor, l.taxMinor, order.taxIncluded), 0) +
    (shipping ? grossOf(shipping.amountMinor, shipping.taxMinor, order.taxIncluded) : 0);
  const rest = order.totalMinor - explained;
  if (rest !== 0)
    lines.push({ description: "Discount", sku: null, quantity: 1, unitPriceMinor: rest, taxRateBp: 0, taxMinor: 0, amountMinor: rest });
  return totalsOf({
    kind: "invoice",
    ...header,
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    invoiceNumber: null,
    reason: null,
    currency: order.currency,
    taxIncluded: order.taxIncluded,
    lines,
    shipping,
  });
}

/** Splits `amount` over `weights` in proportion, the parts summing to `amount` exactly. */
export function shareOut(amount: number, weights: number[]): number[] {
  const sum = weights.reduce((n, w) => n + w, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const exact = weights.map((w) => (amount * w) / sum);
  const parts = exact.map(Math.floor);
  let left = amount - parts.reduce((n, p) => n + p, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

const negate = (l: DocumentLine): DocumentLine => ({
  ...l,
  unitPriceMinor: -l.unitPriceMinor,
  taxMinor: -l.taxMinor,
  amountMinor: -l.amountMinor,
});

/** A credit note of `refundMinor` (positive) against `invoice`: every amount negative. */
export function creditNoteContent(invoice: DocumentContent, refundMinor: number, reason: string, header: Header): DocumentContent {
  const base = {
    kind: "credit_note" as const,
    ...header,
    orderId: invoice.orderId,
    orderNumber: invoice.orderNumber,
    invoiceNumber: invoice.number,
    reason,
    currency: invoice.currency,
    taxIncluded: invoice.taxIncluded,
  };
  if (refundMinor === invoice.totalMinor)
    return totalsOf({
      ...base,
      lines: invoice.lines.map(negate),
      shipping: invoice.shipping && {
        amountMinor: -invoice.shipping.amountMinor,
        taxRateBp: invoice.shipping.taxRateBp,
        taxMinor: -invoice.shipping.taxMinor,
      },
    });
  // A part refund: one line per tax rate, its gross share of the refund, the tax inside it.
  const rates = invoice.taxRates.length ? invoice.taxRates : [{ rateBp: 0, netMinor: invoice.totalMinor, taxMinor: 0 }];
  const shares = shareOut(
    refundMinor,
    rates.map((r) => r.netMinor + r.taxMinor),
  );
  const lines = rates.flatMap((r, i): DocumentLine[] => {
    const gross = shares[i]!;
    if (gross === 0) return [];
    const tax = Math.round((gross * r.rateBp) / (10_000 + r.rateBp));
    const amount = invoice.taxIncluded ? gross : gross - tax;
    return [
      negate({
        description: `Refund of order ${invoice.orderNumber}${r.rateBp ? ` at ${(r.rateBp / 100).toFixed(2)} %` : ""}`,
        sku: null,
        quantity: 1,
        unitPriceMinor: amount,
        taxRateBp: r.rateBp,
        taxMinor: tax,
        amountMinor: amount,
      }),
    ];
  });
  return totalsOf({ ...base, lines, shipping: null });
}

/** What a document number looks like (the route's parameter). */
export const DOCUMENT_NUMBER = /^(INV|CN)-\d{4}-\d{6}$/;
