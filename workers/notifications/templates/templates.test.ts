/** Templates: every template renders in every locale and channel; locales fall back; user-supplied values are escaped. */
import { describe, expect, it } from "vitest";
import { TEMPLATE_IDS, TEMPLATES, type TemplateId, templateDef } from "./catalog.ts";
import { escapeHtml, render, TemplateError } from "./engine.ts";
import { LOCALES, renderMessage, resolveLocale } from "./render.ts";

const SAMPLE: Record<TemplateId, unknown> = {
  welcome: {},
  "email-verification": { token: "ev_token", expiresAt: "2026-03-02T10:00:00Z" },
  "password-reset": { token: "pr_token", expiresAt: "2026-03-02T10:30:00Z" },
  "email-change": { token: "ec_token", expiresAt: "2026-03-02T10:00:00Z" },
  "email-changed": { token: "er_token", expiresAt: "2026-03-16T10:00:00Z", newEmailHint: "j•••@example.com" },
  "password-changed": { via: "change" },
  "order-created": {
    orderId: "ord_1",
    orderNumber: "EC-1001",
    lines: [{ name: "Mug", quantity: 2, unitPriceMinor: 1250 }],
    totalMinor: 2500,
    currency: "EUR",
  },
  "order-confirmed": { orderId: "ord_1", orderNumber: "EC-1001", totalMinor: 123456, currency: "EUR" },
  "order-cancelled": { orderId: "ord_1", orderNumber: "EC-1001", reason: "out_of_stock", refundMinor: 2500, currency: "USD" },
  "payment-failed": {
    orderId: "ord_1",
    orderNumber: "EC-1001",
    amountMinor: 2500,
    currency: "EUR",
    reason: "card_declined",
    retryable: true,
  },
  "refund-issued": { orderId: "ord_1", orderNumber: "EC-1001", amountMinor: 2500, currency: "EUR", reason: "return_received" },
  "shipment-dispatched": {
    orderId: "ord_1",
    orderNumber: "EC-1001",
    carrier: "DHL",
    trackingNumber: "JD0123",
    trackingUrl: "https://track.example/JD0123",
    estimatedDelivery: "2026-03-05",
  },
  "delivery-completed": { orderId: "ord_1", orderNumber: "EC-1001", deliveredAt: "2026-03-05T09:12:00Z" },
  "return-initiated": {
    orderId: "ord_1",
    orderNumber: "EC-1001",
    returnId: "ret_1",
    reason: "damaged",
    itemCount: 1,
    returnBy: "2026-04-01",
  },
  "review-flagged": { reviewId: "rev_1", productId: "prd_1", reason: "spam", flaggedBy: "customer", flagCount: 3 },
  "low-stock": { sku: "MUG-RED", available: 2, onHand: 5, lowStockThreshold: 5 },
  "report-ready": {
    title: "Weekly sales",
    from: "2026-03-02",
    to: "2026-03-08",
    files: [{ format: "pdf", url: "https://api.example/api/reports/files/rpt_1/pdf?expires=1&sig=ab" }],
    expiresAt: "2026-03-16T01:00:00Z",
  },
  "report-failed": { title: "Weekly sales", from: "2026-03-02", to: "2026-03-08", attempts: 3 },
  "cart-reminder": {
    token: "crt_token",
    expiresAt: "2026-03-09T10:00:00Z",
    itemCount: 3,
    lines: [
      { name: "Mug", quantity: 2, unitPriceMinor: 1250, currency: "EUR" },
      { name: "Teapot", quantity: 1, unitPriceMinor: 3900, currency: "EUR" },
    ],
  },
  message: { subject: "Store closed on Monday", body: "Dear customer,\n\nwe are closed on Monday." },
};
const ctx = (locale: string, name = "Ada") => ({ locale, name, storefrontUrl: "https://shop.example" });

describe("every template", () => {
  for (const id of TEMPLATE_IDS) {
    it(`${id} renders in every locale on each of its channels, with every variable filled`, () => {
      const def = templateDef(id);
      const data = def.data.parse(SAMPLE[id]);
      for (const locale of LOCALES) {
        for (const channel of def.channels) {
          const { locale: used, rendered } = renderMessage(id, channel, data, ctx(locale));
          expect(used).toBe(locale);
          const parts = Object.values(rendered).filter((v) => typeof v === "string" && v !== channel) as string[];
          for (const part of parts) {
            expect(part.length).toBeGreaterThan(0);
            expect(part).not.toMatch(/\{\{|\}\}/);
          }
        }
      }
    });
  }

  it("each locale has its own text (no template silently falls back)", () => {
    for (const id of TEMPLATE_IDS) {
      const data = templateDef(id).data.parse(SAMPLE[id]);
      const en = renderMessage(id, "email", data, ctx("en")).rendered as { text: string };
      const de = renderMessage(id, "email", data, ctx("de")).rendered as { text: string };
      expect(de.text, id).not.toBe(en.text);
    }
  });
});

describe("locales", () => {
  it("resolves exact tags, then the language, then English", () => {
    expect(resolveLocale("de")).toBe("de");
    expect(resolveLocale("de-AT")).toBe("de");
    expect(resolveLocale("DE_ch")).toBe("de");
    expect(resolveLocale("fr-FR")).toBe("en");
    expect(resolveLocale("")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });

  it("formats money and dates the local way", () => {
    const data = templateDef("order-confirmed").data.parse(SAMPLE["order-confirmed"]);
    const en = renderMessage("order-confirmed", "email", data, ctx("en")).rendered as { subject: string; text: string };
    const de = renderMessage("order-confirmed", "email", data, ctx("de-AT")).rendered as { subject: string; text: string };
    expect(en.subject).toBe("Your order EC-1001 is confirmed");
    expect(de.subject).toBe("Ihre Bestellung EC-1001 ist bestätigt");
    expect(en.text).toContain("€1,234.56");
    expect(de.text.replace(/\u00A0/g, " ")).toContain("1.234,56 €");
    // The confirmation links the order's invoice, in both languages.
    expect(en.text).toMatch(/Your invoice: https?:\/\/\S+\/account\/orders\/ord_1\/invoice\n/);
    expect(de.text).toMatch(/Ihre Rechnung: https?:\/\/\S+\/account\/orders\/ord_1\/invoice\n/);
    const jpy = renderMessage("order-confirmed", "sms", { ...(data as object), totalMinor: 1500, currency: "JPY" }, ctx("en")).rendered as {
      body: string;
    };
    expect(jpy.body).toContain("¥1,500");
    const eta = renderMessage(
      "shipment-dispatched",
      "email",
      templateDef("shipment-dispatched").data.parse(SAMPLE["shipment-dispatched"]),
      ctx("de"),
    ).rendered as { text: string };
    expect(eta.text).toContain("5. März 2026");
  });

  it("greets by name, and without one when the name is unknown", () => {
    const a = renderMessage("welcome", "email", {}, ctx("en", "Ada")).rendered as { text: string; html: string };
    expect(a.text.startsWith("Hello Ada,")).toBe(true);
    const b = renderMessage("welcome", "email", {}, ctx("de", "")).rendered as { text: string };
    expect(b.text.startsWith("Hallo,")).toBe(true);
  });
});

describe("escaping of user-supplied values", () => {
  const evil = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;

  it("escapes a user's name and product names in HTML, keeps them readable in text", () => {
    const data = templateDef("order-created").data.parse({
      ...(SAMPLE["order-created"] as object),
      lines: [{ name: evil, quantity: 1, unitPriceMinor: 100 }],
    });
    for (const locale of LOCALES) {
      const mail = renderMessage("order-created", "email", data, ctx(locale, `Eve "><b>`)).rendered as {
        html: string;
        text: string;
        subject: string;
      };
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).not.toContain("<img");
      expect(mail.html).not.toContain(`"><b>`);
      expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src&#61;x onerror&#61;alert(1)&gt;");
      expect(mail.html).toContain("Eve &quot;&gt;&lt;b&gt;");
      expect(mail.text).toContain(evil);
    }
  });

  it("keeps an admin's message inert in HTML and one-line in the subject", () => {
    const data = templateDef("message").data.parse({
      subject: "Hi\r\nBcc: victim@example.com",
      body: "Line <b>one</b>\n\nLine two",
      actionUrl: "https://shop.example/sale?a=1&b=2",
      actionLabel: "Open <sale>",
    });
    const mail = renderMessage("message", "email", data, ctx("en")).rendered as { html: string; subject: string };
    expect(mail.subject).toBe("Hi Bcc: victim@example.com");
    expect(mail.html).toContain("<p>Line &lt;b&gt;one&lt;/b&gt;</p><p>Line two</p>");
    expect(mail.html).toContain(`<a href="https://shop.example/sale?a&#61;1&amp;b&#61;2" style="color:#2563eb">Open &lt;sale&gt;</a>`);
  });

  it("drops links that are not http(s) and control or direction-override characters", () => {
    const shipment = templateDef("shipment-dispatched").data.parse({
      ...(SAMPLE["shipment-dispatched"] as object),
      trackingUrl: "javascript:alert(1)",
      carrier: "DHL\u202Egnp.exe\u0007",
    });
    const mail = renderMessage("shipment-dispatched", "email", shipment, ctx("en")).rendered as { html: string; text: string };
    expect(mail.html).not.toContain("javascript:");
    expect(mail.text).toContain("DHLgnp.exe");
    expect(mail.text).not.toMatch(/[\u202E\u0007]/);
  });
});

describe("the template engine", () => {
  it("repeats sections over lists, tests truthiness, and inverts", () => {
    const vars = { items: [{ n: "a" }, { n: "b" }], yes: true, no: false, none: null };
    expect(render("{{#items}}[{{n}}]{{/items}}{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{^none}}-{{/none}}", vars, escapeHtml)).toBe(
      "[a][b]Y!N-",
    );
  });

  it("refuses missing variables and malformed templates", () => {
    expect(() => render("Hello {{name}}", {}, escapeHtml)).toThrow(TemplateError);
    expect(() => render("{{#a}}x", { a: true }, escapeHtml)).toThrow(/unclosed/);
    expect(() => render("{{/a}}", {}, escapeHtml)).toThrow(/unexpected/);
    expect(() => render("{{{raw}}}", { raw: "<b>" }, escapeHtml)).toThrow(/malformed/);
    expect(() => render("{{obj}}", { obj: { a: "b" } }, escapeHtml)).toThrow(/not a scalar/);
  });

  it("knows every template's channels have texts in the fallback locale", () => {
    for (const [id, def] of Object.entries(TEMPLATES)) expect(def.channels.length, id).toBeGreaterThan(0);
  });
});
