/**
 * The order confirmation mail carries the order's invoice as a PDF: the
 * attached bytes are the stored invoice's (as GET /api/orders/{id}/invoice
 * and the guest's POST /api/orders/guest/invoice serve it), for a signed-in
 * customer and a guest alike, once, with one invoice issued.
 */
import { afterAll, describe, expect, it } from "vitest";
import { captured, eventuallyCaptured } from "../../workers/notifications/test-fixtures.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { api } from "../helpers/http.ts";
import { clientIp, uniqueEmail } from "../helpers/identity.ts";
import { confirm, json, order, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

type Attachment = { filename: string; contentType: string; bytes: number; sha256: string };
type GuestOrder = OrderView & { guestLink: { token: string } };
const BERLIN = { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };

/** A guest order of one 119.00 EUR item from a fresh guest cart; `headers` adds to the request's. */
async function placeGuestOrder(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const { skus } = await stocked([11_900], 5, "EUR");
  const added = await api("/api/cart/items", { method: "POST", token: null, json: { sku: skus[0], quantity: 1 } });
  const cookie = /cart_id=([^;]*)/.exec(added.headers.get("set-cookie") ?? "")?.[1];
  return api("/api/orders/guest", {
    method: "POST",
    token: null,
    json: { shippingAddress: BERLIN, ...body },
    headers: { cookie: `cart_id=${cookie}`, "cf-connecting-ip": clientIp(), ...headers },
  });
}
const payByLink = (token: string) =>
  api("/api/orders/guest/pay", { method: "POST", token: null, json: { token, paymentMethodId: "pm_card_visa" } });

const attachmentsOf = (m: { data: unknown }) => ((m.data as { attachments?: Attachment[] } | null)?.attachments ?? []) as Attachment[];

async function pdfDigest(res: Response): Promise<{ sha256: string; bytes: number }> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return { sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""), bytes: bytes.byteLength };
}

async function invoiceNumbers(token: string, orderId: string): Promise<string[]> {
  const { items } = await json<{ items: { number: string; kind: string }[] }>(await api(`/api/orders/${orderId}/invoices`, { token }), 200);
  return items.filter((d) => d.kind === "invoice").map((d) => d.number);
}

describe("the confirmation mail's invoice", () => {
  it("a customer's confirmation mail carries the stored invoice PDF, once", async () => {
    const user = await shopper();
    const { skus } = await stocked([4_250], 5);
    const placed = await order(user.accessToken, [{ sku: skus[0]!, quantity: 2 }]);
    expect((await confirm(user.accessToken, placed.id)).status).toBe(200);

    const [mail] = await eventuallyCaptured(user.email, new RegExp(`Your order ${placed.number} is confirmed`));
    const [attachment, ...more] = attachmentsOf(mail!);
    expect(more).toEqual([]);
    const stored = await pdfDigest(await api(`/api/orders/${placed.id}/invoice`, { token: user.accessToken }));
    const [number, ...others] = await invoiceNumbers(user.accessToken, placed.id);
    expect(others).toEqual([]);
    expect(attachment).toEqual({ filename: `${number}.pdf`, contentType: "application/pdf", ...stored });
    expect(mail!.text).toContain(`Your invoice ${number} is attached`);

    // The SMS and push of the confirmation carry no file; the mail went out once.
    await quiesce();
    const confirmations = (await captured(user.email, "email")).filter((m) => m.subject?.includes(`${placed.number} is confirmed`));
    expect(confirmations).toHaveLength(1);
  });

  it("a guest's confirmation mail carries the invoice the guest's link serves", async () => {
    const email = uniqueEmail("guest-invoice");
    const placed = await json<GuestOrder>(await placeGuestOrder({ guestEmail: email }), 201);
    expect((await payByLink(placed.guestLink.token)).status).toBe(200);

    const [mail] = await eventuallyCaptured(email, new RegExp(`Your order ${placed.number} is confirmed`));
    const stored = await pdfDigest(
      await api("/api/orders/guest/invoice", { method: "POST", token: null, json: { token: placed.guestLink.token } }),
    );
    expect(attachmentsOf(mail!)).toEqual([
      { filename: expect.stringMatching(/^INV-\d{4}-\d{6}\.pdf$/), contentType: "application/pdf", ...stored },
    ]);
  });
});

describe("an admin's send of the confirmation", () => {
  it("links the invoice and never claims one is attached", async () => {
    const user = await shopper();
    const orderNumber = `EC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const data = { orderId: "ord_1", orderNumber, totalMinor: 1000, currency: "EUR", invoiceNumber: "INV-2026-999999" };
    const sent = await api("/api/notifications/send", { method: "POST", json: { userId: user.userId, template: "order-confirmed", data } });
    expect(sent.status).toBe(200);
    const [mail] = await eventuallyCaptured(user.email, new RegExp(`Your order ${orderNumber} is confirmed`));
    expect(mail!.text).toContain("Your invoice: ");
    expect(mail!.text).not.toContain("attached");
    expect(attachmentsOf(mail!)).toEqual([]);
  });
});

describe("a guest's mails in the guest's language", () => {
  it("keeps the language of Accept-Language for every mail of the order, the invoice still attached", async () => {
    const email = uniqueEmail("guest-de");
    const placed = await json<GuestOrder>(
      await placeGuestOrder({ guestEmail: email }, { "accept-language": "fr-FR, de-AT;q=0.8, en;q=0.5" }),
      201,
    );
    await eventuallyCaptured(email, new RegExp(`Wir haben Ihre Bestellung ${placed.number} erhalten`));
    expect((await payByLink(placed.guestLink.token)).status).toBe(200);
    const [mail] = await eventuallyCaptured(email, new RegExp(`Ihre Bestellung ${placed.number} ist bestätigt`));
    expect(mail!.text).toContain("finden Sie im Anhang");
    expect(attachmentsOf(mail!)).toHaveLength(1);
    // Every mail of the order went out in German, none in English.
    await quiesce();
    const subjects = (await captured(email, "email")).map((m) => m.subject ?? "");
    expect(subjects.length).toBeGreaterThanOrEqual(2);
    expect(subjects.filter((s) => /order|Your/.test(s))).toEqual([]);
  });

  it("takes an explicit locale over the header, and refuses one the mails are not written in", async () => {
    const email = uniqueEmail("guest-explicit");
    const placed = await json<GuestOrder>(await placeGuestOrder({ guestEmail: email, locale: "de" }, { "accept-language": "en-US" }), 201);
    await eventuallyCaptured(email, new RegExp(`Wir haben Ihre Bestellung ${placed.number} erhalten`));
    const refused = await json<{ code: string; errors: { field: string }[] }>(
      await placeGuestOrder({ guestEmail: email, locale: "fr" }),
      422,
    );
    expect(refused.errors.map((e) => e.field)).toContain("locale");
    // Without either, English.
    const english = uniqueEmail("guest-en");
    const plain = await json<GuestOrder>(await placeGuestOrder({ guestEmail: english }, { "accept-language": "fr, es;q=0.5" }), 201);
    await eventuallyCaptured(english, new RegExp(`We received your order ${plain.number}`));
  });
});
