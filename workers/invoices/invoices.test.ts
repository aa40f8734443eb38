/**
 * Invoices end to end: a German checkout (VAT inside the prices, two rates,
 * shipping taxed) gets its invoice once confirmed, a PDF whose embedded data
 * matches the order; a cancellation's refund gets a credit note against it;
 * strangers get 404; and concurrent issuances take the numbers 1..N exactly.
 */
import { PDFDict, PDFDocument, PDFHexString, PDFName } from "pdf-lib";
import { afterAll, describe, expect, it } from "vitest";
import type { DocumentContent } from "../../db/schema/invoices.ts";
import {
  cancel,
  confirm,
  json,
  netCharged,
  placeOrder,
  quiesce,
  settle,
  shipment,
  shopper,
  stocked,
} from "../../test/checkout/fixtures.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import type { OrderView } from "../orders/index.ts";
import { INFO_KEY } from "./pdf.ts";
import { issueDocument } from "./store.ts";

afterAll(() => quiesce(), 30_000);

const BERLIN = { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };

type Listed = { kind: string; number: string; totalMinor: number; taxMinor: number; invoiceNumber: string | null; url: string };

async function listed(token: string, orderId: string): Promise<Listed[]> {
  return (await json<{ items: Listed[] }>(await api(`/api/orders/${orderId}/invoices`, { token }), 200)).items;
}

async function embedded(res: Response): Promise<DocumentContent> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
  expect(doc.getPageCount()).toBeGreaterThan(0);
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  const data = info.lookup(PDFName.of(INFO_KEY), PDFHexString);
  return JSON.parse(data.decodeText()) as DocumentContent;
}

describe("invoices", () => {
  it("issues one invoice for a confirmed order, a PDF with the order's totals, and a credit note for its refund", async () => {
    const user = await shopper();
    const stranger = await shopper();
    const standard = await stocked([11_900], 5, "EUR");
    const reduced = await stocked([1_070], 5, "EUR");
    expect((await api(`/api/taxes/products/${reduced.product.id}`, { method: "PUT", json: { taxClass: "reduced" } })).status).toBe(200);
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, {
        shippingAddress: BERLIN,
        lines: [
          { sku: standard.skus[0], quantity: 1 },
          { sku: reduced.skus[0], quantity: 2 },
        ],
      }),
      201,
    );
    expect(await listed(user.accessToken, o.id)).toEqual([]);
    expect((await api(`/api/orders/${o.id}/invoice`, { token: user.accessToken })).status).toBe(404);
    expect((await confirm(user.accessToken, o.id)).status).toBe(200);

    const [invoice] = await eventually(async () => {
      const items = await listed(user.accessToken, o.id);
      return items.length ? items : undefined;
    });
    expect(invoice).toMatchObject({ kind: "invoice", totalMinor: o.totals.totalMinor, taxMinor: o.totals.taxMinor, invoiceNumber: null });
    expect(invoice!.number).toMatch(/^INV-\d{4}-\d{6}$/);

    const data = await embedded(await api(`/api/orders/${o.id}/invoice`, { token: user.accessToken }));
    expect(data).toMatchObject({ number: invoice!.number, orderNumber: o.number, currency: "EUR", taxIncluded: true });
    expect(data.totalMinor).toBe(o.totals.totalMinor);
    expect(data.taxMinor).toBe(o.totals.taxMinor);
    expect(data.taxRates).toEqual(o.tax.rates);
    expect(data.lines.map((l) => [l.quantity, l.unitPriceMinor, l.taxRateBp, l.taxMinor])).toEqual(
      o.lines.map((l) => [l.quantity, l.unitPriceMinor, l.taxRateBp, l.taxMinor]),
    );
    expect(data.buyer).toMatchObject({ name: BERLIN.name, country: "DE", email: user.email });
    expect(data.seller.vatId).toBeTruthy();

    // Staff read it too; another customer, or nobody, does not learn the order exists.
    expect((await api(`/api/orders/${o.id}/invoice`)).status).toBe(200);
    expect((await api(`/api/orders/${o.id}/invoice`, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`/api/orders/${o.id}/invoices`, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`/api/orders/${o.id}/invoices`, { token: null })).status).toBe(401);
    expect((await api("/api/orders/not-an-order/invoices", { token: user.accessToken })).status).toBe(422);
    expect((await api(`/api/orders/${o.id}/invoices/INV-1`, { token: user.accessToken })).status).toBe(422);

    // Cancelling refunds everything: a credit note negating the invoice.
    expect((await cancel(user.accessToken, o.id)).status).toBeLessThan(300);
    expect(await settle(o.id)).toBe("cancelled");
    const docs = await eventually(async () => {
      const items = await listed(user.accessToken, o.id);
      return items.length === 2 ? items : undefined;
    });
    const credit = docs[1]!;
    expect(credit).toMatchObject({ kind: "credit_note", invoiceNumber: invoice!.number, totalMinor: -o.totals.totalMinor });
    expect(credit.number).toMatch(/^CN-\d{4}-\d{6}$/);
    const note = await embedded(await api(credit.url, { token: user.accessToken }));
    expect(note.taxMinor).toBe(-o.totals.taxMinor);
    expect(note.taxRates.map((r) => r.rateBp)).toEqual(o.tax.rates.map((r) => r.rateBp));

    // Nothing issued twice, whatever was redelivered meanwhile.
    await quiesce();
    expect(await listed(user.accessToken, o.id)).toHaveLength(2);
  }, 60_000);

  it("gives a part return's refund a credit note of that amount against the invoice", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([2_380], 5, "EUR");
    const o = await json<OrderView>(await placeOrder(user.accessToken, { shippingAddress: BERLIN, lines: [{ sku, quantity: 2 }] }), 201);
    expect((await confirm(user.accessToken, o.id)).status).toBe(200);
    const s = await shipment(o.id);
    for (const status of ["dispatched", "delivered"])
      expect((await api(`/api/delivery/shipments/${s!.id}/status`, { method: "POST", json: { status } })).status).toBe(200);
    const ret = await api("/api/delivery/returns", {
      method: "POST",
      token: user.accessToken,
      json: { orderId: o.id, reason: "no_longer_needed", lines: [{ sku, quantity: 1 }] },
    });
    expect(ret.status).toBe(201);
    const { id: returnId } = (await ret.json()) as { id: string };
    expect((await api(`/api/delivery/returns/${returnId}/receive`, { method: "POST" })).status).toBe(200);
    const inspected = await api(`/api/delivery/returns/${returnId}/inspect`, {
      method: "POST",
      json: { lines: [{ sku, acceptedQuantity: 1 }] },
    });
    expect(inspected.status).toBe(200);
    const docs = await eventually(async () => {
      const items = await listed(user.accessToken, o.id);
      return items.length === 2 ? items : undefined;
    });
    const refunded = o.totals.totalMinor - (await netCharged(o.id));
    expect(refunded).toBeGreaterThan(0);
    expect(refunded).toBeLessThan(o.totals.totalMinor);
    expect(docs[1]).toMatchObject({ kind: "credit_note", invoiceNumber: docs[0]!.number, totalMinor: -refunded });
    const note = await embedded(await api(docs[1]!.url, { token: user.accessToken }));
    expect(note.reason).toBe("return_received");
    expect(note.taxRates).toEqual([
      { rateBp: 1900, netMinor: -(refunded - Math.round((refunded * 1900) / 11_900)), taxMinor: -Math.round((refunded * 1900) / 11_900) },
    ]);
  }, 60_000);

  it("numbers concurrent issuances 1..N with no gap and no repeat, and issues nothing twice per source", async () => {
    const series = `T${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const n = 24;
    const issue = (i: number) =>
      withTestDb((db) =>
        db.transaction((tx) =>
          issueDocument(tx, testEnv, {
            kind: "invoice",
            series,
            sourceId: `src-${series}-${i}`,
            orderId: `ord-${series}-${i}`,
            userId: "usr_test",
            invoiceId: null,
            content: (number, issuedAt) => ({
              kind: "invoice",
              number,
              issuedAt: issuedAt.toISOString(),
              orderId: `ord-${series}-${i}`,
              orderNumber: `EC-${i}`,
              invoiceNumber: null,
              reason: null,
              currency: "EUR",
              taxIncluded: false,
              seller: { name: "S", addressLines: [], country: "IE" },
              buyer: { name: "B", addressLines: [], country: "DE" },
              lines: [],
              shipping: null,
              taxRates: [],
              netMinor: i,
              taxMinor: 0,
              totalMinor: i,
            }),
          }),
        ),
      );
    const rows = await Promise.all(Array.from({ length: n }, (_, i) => issue(i)));
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const year = rows[0]!.year;
    expect(new Set(rows.map((r) => r.number))).toEqual(new Set(rows.map((r) => `${series}-${year}-${String(r.seq).padStart(6, "0")}`)));
    // A repeat of a source answers its document; the counter does not move.
    const again = await issue(3);
    expect(again.id).toBe(rows[3]!.id);
    expect((await issue(n)).seq).toBe(n + 1);
  }, 60_000);
});
