/** Invoices: an invoice for every confirmed order and a credit note for every refund, numbered without gaps, as PDF. */
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { RefundIssued } from "../../queues/contracts/events/payment.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { invoicesConfig } from "./config.ts";
import { creditNoteOnRefund, invoiceOnConfirmation } from "./issue.ts";

export const invoices = defineFamily({
  name: "invoices",
  schemas: ["invoices"],
  config: invoicesConfig,
  // The fulfilment group already follows orders and payments; documents are written in its transaction.
  handlers: { fulfilment: [on(OrderConfirmed, invoiceOnConfirmation), on(RefundIssued, creditNoteOnRefund)] },
});

// The confirmation mail (notifications) attaches the order's invoice, issuing it first if need be.
export { invoiceForMail } from "./issue.ts";
// What the orders family mounts under /api/orders: an order's invoice and credit notes.
export { invoiceRoutes, orderInvoicePdf } from "./routes.ts";
