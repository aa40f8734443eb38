/**
 * What a shop needs on day one, end to end over HTTP: a guest in Germany
 * (VAT inside the price) and a signed-in customer in California (sales tax
 * on top) each check out with a promotion code applied to their cart, pay
 * the right tax, and get an invoice whose data (read back from the PDF)
 * matches their order; the guest reaches theirs through the mailed link.
 */
import { PDFDict, PDFDocument, PDFHexString, PDFName } from "pdf-lib";
import { afterAll, describe, expect, it } from "vitest";
import type { DocumentContent } from "../../db/schema/invoices.ts";
import { INFO_KEY } from "../../workers/invoices/pdf.ts";
import { eventuallyCaptured } from "../../workers/notifications/test-fixtures.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { api, eventually } from "../helpers/http.ts";
import { clientIp, uniqueEmail } from "../helpers/identity.ts";
import { confirm, json, placeOrder, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

const BERLIN = { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };
const SAN_FRANCISCO = { name: "Alan Kay", line1: "1 Market St", city: "San Francisco", region: "ca", postalCode: "94105", country: "us" };
type GuestOrder = OrderView & { guestLink: { token: string } };

const uniqueCode = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
const newCode = async (body: Record<string, unknown>) =>
  json<{ code: string }>(await api("/api/promotions", { method: "POST", json: { code: uniqueCode("DAY1"), ...body } }), 201);

async function pdfData(res: Response): Promise<DocumentContent> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  return JSON.parse(info.lookup(PDFName.of(INFO_KEY), PDFHexString).decodeText()) as DocumentContent;
}

/** The invoice agrees with the order: total, tax, and its lines add up to it. */
function expectInvoiceOf(invoice: DocumentContent, order: OrderView) {
  expect(invoice).toMatchObject({ kind: "invoice", orderId: order.id, currency: order.currency });
  expect(invoice.totalMinor).toBe(order.totals.totalMinor);
  expect(invoice.taxMinor).toBe(order.totals.taxMinor);
  expect(invoice.number).toMatch(/^INV-\d{4}-\d{6}$/);
  expect(invoice.taxRates.reduce((sum, r) => sum + r.taxMinor, 0)).toBe(order.totals.taxMinor);
}

describe("day one: tax, promotion codes, guest checkout and invoices together", () => {
  it("a guest in Germany pays 19 % VAT inside the discounted price and gets the invoice through the mailed link", async () => {
    const { skus } = await stocked([11_900], 5, "EUR");
    const { code } = await newCode({ kind: "percentage", percentBp: 1_000 });
    const email = uniqueEmail("guest-de");
    const added = await api("/api/cart/items", { method: "POST", token: null, json: { sku: skus[0], quantity: 1 } });
    const cookie = /cart_id=([^;]*)/.exec(added.headers.get("set-cookie") ?? "")?.[1];
    expect(cookie).toBeTruthy();
    const headers = { cookie: `cart_id=${cookie}`, "cf-connecting-ip": clientIp() };
    expect((await api("/api/cart/promotions", { method: "POST", token: null, json: { code }, headers })).status).toBe(200);

    const order = await json<GuestOrder>(
      await api("/api/orders/guest", { method: "POST", token: null, json: { shippingAddress: BERLIN, guestEmail: email }, headers }),
      201,
    );
    // 119.00 less 10 % is 107.10, VAT included: 107.10 × 19/119 = 17.10.
    expect(order.totals).toMatchObject({ subtotalMinor: 11_900, discountMinor: 1_190, taxMinor: 1_710, totalMinor: 10_710 });
    expect(order.tax).toMatchObject({ included: true, regionCode: "DE" });
    expect(order.promotion).toMatchObject({ code });
    const paid = await api("/api/orders/guest/pay", {
      method: "POST",
      token: null,
      json: { token: order.guestLink.token, paymentMethodId: "pm_card_visa" },
    });
    expect(((await paid.json()) as OrderView).status).toBe("confirmed");

    // The confirmation mail links the guest's invoice page; its token opens the invoice.
    const [mail] = await eventuallyCaptured(email, new RegExp(`Your order ${order.number} is confirmed`));
    const link = /https?:\/\/\S+\/orders\/guest\/invoice\?\S+/.exec(mail!.text ?? "")?.[0];
    expect(link, "the mail links the guest's invoice").toBeTruthy();
    const token = new URL(link!).searchParams.get("token")!;
    const res = await eventually(
      async () => {
        const r = await api("/api/orders/guest/invoice", { method: "POST", token: null, json: { token } });
        return r.status === 200 ? r : undefined;
      },
      20_000,
      "the guest's invoice",
    );
    const invoice = await pdfData(res);
    expectInvoiceOf(invoice, order);
    expect(invoice.taxIncluded).toBe(true);
    expect(invoice.taxRates).toEqual([{ rateBp: 1_900, netMinor: 9_000, taxMinor: 1_710 }]);
    expect(invoice.buyer).toMatchObject({ name: BERLIN.name, email });
    // A changed token opens nothing.
    const altered = `${token.slice(0, -2)}${token.at(-2) === "A" ? "B" : "A"}${token.at(-1)}`;
    expect((await api("/api/orders/guest/invoice", { method: "POST", token: null, json: { token: altered } })).status).toBe(404);
  });

  it("a signed-in customer in California pays 7.25 % sales tax on top of the discounted price and downloads the invoice", async () => {
    const user = await shopper();
    const { skus } = await stocked([10_000], 5, "USD");
    const { code } = await newCode({ kind: "fixed", amountMinor: 1_000, currency: "USD" });
    expect((await api("/api/cart/items", { method: "POST", token: user.accessToken, json: { sku: skus[0], quantity: 1 } })).status).toBe(
      200,
    );
    expect((await api("/api/cart/promotions", { method: "POST", token: user.accessToken, json: { code } })).status).toBe(200);

    const order = await json<OrderView>(await placeOrder(user.accessToken, { shippingAddress: SAN_FRANCISCO }), 201);
    expect(order.tax).toMatchObject({ included: false, regionCode: "US-CA" });
    expect(order.totals.discountMinor).toBe(1_000);
    // 100.00 less 10.00 is 90.00; 7.25 % of it is 6.525, rounded half-up to 6.53; shipping is not taxed in California.
    expect(order.totals.taxMinor).toBe(653);
    expect(order.totals.totalMinor).toBe(9_000 + 653 + order.totals.shippingMinor);
    expect((await confirm(user.accessToken, order.id)).status).toBe(200);

    const res = await eventually(
      async () => {
        const r = await api(`/api/orders/${order.id}/invoice`, { token: user.accessToken });
        return r.status === 200 ? r : undefined;
      },
      20_000,
      "the customer's invoice",
    );
    const invoice = await pdfData(res);
    expectInvoiceOf(invoice, order);
    expect(invoice.taxIncluded).toBe(false);
    expect(invoice.buyer).toMatchObject({ name: SAN_FRANCISCO.name, email: user.email });
  });
});
