/**
 * An order's invoice and credit notes, mounted by the orders family under
 * /api/orders: the buyer or staff (support, admin) may read them; anyone
 * else gets 404, as for the order itself. The list gives every document of
 * the order with a download link; `/invoice` is the invoice's PDF directly.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { loadOrder } from "../../durable-objects/order/index.ts";
import { hasRole } from "../platform/auth.ts";
import type { AppEnv, Principal } from "../platform/context.ts";
import type { Database } from "../platform/db.ts";
import { notFound } from "../platform/errors.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import type { Runtime } from "../platform/runtime.ts";
import { scopeOf } from "../platform/scope.ts";
import { DOCUMENT_NUMBER } from "./document-rules.ts";
import { type DocumentRow, documentsOfOrder, INVOICES_BUCKET } from "./store.ts";

const tags = ["Invoices"];
const security = [{ bearer: [] }];

const OrderParam = z.object({
  id: z
    .string()
    .regex(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/, "an order id (ord_…)")
    .openapi({ param: { name: "id", in: "path" }, example: "ord_01JB8ZQ1V6R2X3Y4Z5A6B7C8D9" }),
});
const DocumentParam = OrderParam.extend({
  number: z
    .string()
    .regex(DOCUMENT_NUMBER, "a document number (INV-2026-000001, CN-2026-000001)")
    .openapi({ param: { name: "number", in: "path" }, example: "INV-2026-000001" }),
});
const pdfFile = {
  description: "The document as PDF; its data is also attached to the file (InvoiceData)",
  content: { "application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
};

const DocumentSchema = z
  .object({
    kind: z.enum(["invoice", "credit_note"]),
    number: z.string(),
    issuedAt: z.string(),
    currency: z.string(),
    taxMinor: z.number().int().openapi({ description: "Negative on a credit note" }),
    totalMinor: z.number().int().openapi({ description: "Negative on a credit note" }),
    invoiceNumber: z.string().nullable().openapi({ description: "The invoice a credit note corrects" }),
    reason: z.string().nullable(),
    url: z.string().openapi({ description: "The PDF" }),
  })
  .openapi("InvoiceDocument");

const listRoute = createRoute({
  method: "get",
  path: "/{id}/invoices",
  tags,
  summary: "An order's invoice and credit notes (the buyer or staff)",
  description: "Empty until the order is confirmed. Another customer's order answers 404.",
  security,
  request: { params: OrderParam },
  responses: {
    200: jsonContent(listOf("InvoiceDocumentList", DocumentSchema), "The invoice first, then the credit notes as issued"),
    ...pick(401, 404, 422),
  },
});
const invoiceRoute = createRoute({
  method: "get",
  path: "/{id}/invoice",
  tags,
  summary: "The order's invoice as PDF (the buyer or staff)",
  description: "404 while the order has no invoice (it is issued once the order is confirmed), and for another customer's order.",
  security,
  request: { params: OrderParam },
  responses: { 200: pdfFile, ...pick(401, 404, 422) },
});
const documentRoute = createRoute({
  method: "get",
  path: "/{id}/invoices/{number}",
  tags,
  summary: "One invoice or credit note of the order as PDF (the buyer or staff)",
  security,
  request: { params: DocumentParam },
  responses: { 200: pdfFile, ...pick(401, 404, 422) },
});

const STAFF = ["support", "admin"] as const;

/** The order's documents, if the caller may see the order (404 otherwise, whether or not it exists). */
async function visibleDocuments(db: Database, principal: Principal | null, orderId: string): Promise<DocumentRow[]> {
  const order = await loadOrder(db, orderId);
  const mine = order && principal?.kind === "user" && principal.id === order.userId;
  if (!order || !(mine || (principal && hasRole(principal, ...STAFF)))) throw notFound("order");
  return documentsOfOrder(db, orderId);
}

/** An order's invoice as PDF, for a caller the orders family already let in (a guest's signed link). 404 until it is issued. */
export async function orderInvoicePdf(rt: Runtime, db: Database, orderId: string): Promise<Response> {
  return pdfResponse(
    rt,
    (await documentsOfOrder(db, orderId)).find((d) => d.kind === "invoice"),
  );
}

async function pdfResponse(rt: Runtime, doc: DocumentRow | undefined): Promise<Response> {
  const object = doc?.pdfKey ? await rt.blobs.bucket(INVOICES_BUCKET).get(doc.pdfKey) : null;
  if (!doc || !object) throw notFound(doc?.kind === "credit_note" ? "credit note" : "invoice");
  return new Response(object.body, {
    headers: {
      "content-type": "application/pdf",
      "content-length": String(object.size),
      "content-disposition": `inline; filename="${doc.number}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}

export const invoiceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => {
    const scope = scopeOf(c);
    const { id } = c.req.valid("param");
    const docs = await visibleDocuments(scope.db, scope.principal, id);
    const items = docs.map((d) => ({
      kind: d.kind,
      number: d.number,
      issuedAt: d.issuedAt.toISOString(),
      currency: d.currency,
      taxMinor: d.taxMinor,
      totalMinor: d.totalMinor,
      invoiceNumber: d.content.invoiceNumber,
      reason: d.content.reason,
      url: `/api/orders/${id}/invoices/${d.number}`,
    }));
    return c.json({ items }, 200);
  })
  .openapi(invoiceRoute, async (c) => {
    const scope = scopeOf(c);
    const docs = await visibleDocuments(scope.db, scope.principal, c.req.valid("param").id);
    return (await pdfResponse(
      scope.rt,
      docs.find((d) => d.kind === "invoice"),
    )) as never;
  })
  .openapi(documentRoute, async (c) => {
    const scope = scopeOf(c);
    const { id, number } = c.req.valid("param");
    const docs = await visibleDocuments(scope.db, scope.principal, id);
    return (await pdfResponse(
      scope.rt,
      docs.find((d) => d.number === number),
    )) as never;
  });
