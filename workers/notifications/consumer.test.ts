/**
 * The notifications consumer: domain events become the right messages on
 * the right channels, exactly once however often an event is delivered,
 * following preferences; staff alerts reach staff; deleting an account
 * erases what the family holds about it.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DeliveryCompleted, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import { LowStockAlert } from "../../queues/contracts/events/inventory.ts";
import { OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { PaymentFailed } from "../../queues/contracts/events/payment.ts";
import { ReviewFlagged } from "../../queues/contracts/events/review.ts";
import { testBindings, withTestDb } from "../../test/helpers/db.ts";
import { processedBy } from "../../test/helpers/events.ts";
import { api } from "../../test/helpers/http.ts";
import { mailedToken } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import {
  browserSubscription,
  captured,
  customer,
  deliver,
  deliveriesFor,
  event,
  eventuallyCaptured,
  orderNumber,
} from "./test-fixtures.ts";

describe("account messages", () => {
  it("welcomes a new user and sends the verification link, in their language, once each", async () => {
    const user = await customer({ locale: "de" });
    const welcome = await eventuallyCaptured(user.email, /Willkommen/);
    const verify = await eventuallyCaptured(user.email, /E-Mail-Adresse/);
    const token = await mailedToken(user.userId, "EmailVerificationRequested");
    expect(verify[0]!.text).toContain(`verify-email?token=${token}`);
    expect(verify[0]!.html).toContain(`verify-email?token&#61;${token}`);
    expect(welcome[0]!.text).toMatch(/^Hallo Ada Lovelace,/);
    // Both events were processed; nothing was sent twice.
    expect(await captured(user.email, "email")).toHaveLength(2);
  });

  it("mails a password reset link to the address of the request", async () => {
    const user = await customer();
    await eventuallyCaptured(user.email, /Confirm your email/);
    const res = await api("/api/auth/forgot-password", { method: "POST", token: null, json: { email: user.email } });
    expect(res.status).toBeLessThan(300);
    const [mail] = await eventuallyCaptured(user.email, /Reset your password/);
    expect(mail!.text).toContain(`reset-password?token=${await mailedToken(user.userId, "PasswordResetRequested")}`);
  });
});

describe("order messages", () => {
  it("confirms an order by mail, SMS and push, and a duplicated event sends nothing more", async () => {
    const user = await customer({ phone: true, preferences: { sms: true } });
    const browser = await browserSubscription();
    expect(
      (await api("/api/notifications/push/subscriptions", { method: "POST", token: user.accessToken, json: browser.json })).status,
    ).toBe(201);
    const confirmed = event(
      OrderConfirmed,
      { orderId: newId("ord"), orderNumber: orderNumber(), userId: user.userId, totalMinor: 4999, currency: "EUR" },
      user.userId,
    );

    // The same event twice in one batch and once more in a concurrent batch, then again later.
    const [a, b] = await Promise.all([deliver([confirmed, confirmed]), deliver([confirmed])]);
    expect([...a.explicitAcks, ...b.explicitAcks]).toHaveLength(3);
    expect(a.retryMessages.length + b.retryMessages.length).toBe(0);
    await deliver([confirmed], testBindings, 2);

    const records = await deliveriesFor(confirmed.id);
    expect(records.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ["email", "sent", 1],
      ["push", "sent", 1],
      ["sms", "sent", 1],
    ]);
    const mails = (await captured(user.email, "email")).filter((m) => m.deliveryId === records[0]!.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/is confirmed/);
    expect(mails[0]!.text).toContain("€49.99");
    const sms = await captured(user.phone!, "sms");
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toMatch(/^Edge Commerce: order EC-/);
    const pushes = await captured(browser.json.endpoint, "push");
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.data).toMatchObject({
      payload: { title: expect.stringMatching(/confirmed/), tag: "order-confirmed" },
      urgency: "normal",
    });
  });

  it("sends transactional mail to a user who opted out of everything, but not order updates or SMS", async () => {
    const user = await customer({ phone: true, preferences: { orderUpdates: false, marketingEmails: false, sms: false } });
    const orderId = newId("ord");
    const created = event(OrderCreated, {
      orderId,
      orderNumber: orderNumber(),
      userId: user.userId,
      lines: [{ sku: "MUG-1", productId: "prd_mug", name: "Mug <Blue>", quantity: 2, unitPriceMinor: 1250 }],
      subtotalMinor: 2500,
      discountMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 2500,
      currency: "EUR",
      shippingCountry: "DE",
    });
    const shipped = event(ShipmentDispatched, {
      shipmentId: newId("shp"),
      orderId,
      orderNumber: orderNumber(),
      userId: user.userId,
      carrier: "DHL",
      trackingNumber: "JD014600003",
      trackingUrl: "https://www.dhl.com/track?id=JD014600003",
      estimatedDelivery: "2026-03-05",
    });
    const failed = event(PaymentFailed, {
      paymentId: newId("pay"),
      orderId,
      orderNumber: orderNumber(),
      userId: user.userId,
      amountMinor: 2500,
      currency: "EUR",
      reason: "card_declined",
      retryable: true,
    });
    const result = await deliver([created, shipped, failed]);
    expect(result.explicitAcks).toHaveLength(3);

    const [createdMail] = (await deliveriesFor(created.id)).filter((r) => r.channel === "email");
    expect(createdMail).toMatchObject({ status: "sent", category: "transactional" });
    expect((await deliveriesFor(shipped.id)).map((r) => [r.channel, r.status, r.skipReason])).toEqual([
      ["email", "skipped", "opted_out"],
      ["sms", "skipped", "not_opted_in"],
    ]);
    expect((await deliveriesFor(failed.id)).map((r) => [r.channel, r.status, r.skipReason])).toEqual([
      ["email", "sent", null],
      ["sms", "skipped", "not_opted_in"],
    ]);
    const mails = await captured(user.email, "email");
    expect(mails.some((m) => /on its way/.test(m.subject!))).toBe(false);
    expect(mails.find((m) => m.deliveryId === createdMail!.id)!.html).toContain("2 × Mug &lt;Blue&gt;");
    expect(await captured(user.phone!, "sms")).toHaveLength(0);
  });

  it("skips users without an address for a channel quietly, and events about unknown users", async () => {
    const user = await customer();
    const delivered = event(DeliveryCompleted, {
      shipmentId: newId("shp"),
      orderId: newId("ord"),
      orderNumber: orderNumber(),
      userId: user.userId,
      deliveredAt: new Date().toISOString(),
    });
    const nobody = event(OrderConfirmed, {
      orderId: newId("ord"),
      orderNumber: orderNumber(),
      userId: newId("usr"),
      totalMinor: 100,
      currency: "EUR",
    });
    const result = await deliver([delivered, nobody]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toHaveLength(0);
    // Mail only: no phone, no push subscription, nothing recorded for those channels.
    expect((await deliveriesFor(delivered.id)).map((r) => [r.channel, r.status])).toEqual([["email", "sent"]]);
    expect(await deliveriesFor(nobody.id)).toEqual([]);
    expect(await processedBy("notifications", nobody.id)).toBe(true);
  });
});

describe("staff alerts", () => {
  it("tells admins about low stock and moderators about flagged reviews", async () => {
    const [admin, support, shopper] = await Promise.all([customer({ role: "admin" }), customer({ role: "support" }), customer()]);
    const sku = `SKU-${crypto.randomUUID().slice(0, 8)}`;
    const low = event(LowStockAlert, { sku, available: 2, onHand: 3, lowStockThreshold: 5, version: 7 }, sku);
    const flagged = event(ReviewFlagged, {
      reviewId: newId("rev"),
      productId: newId("prd"),
      authorId: shopper.userId,
      reason: "offensive",
      flaggedBy: "customer",
      flagCount: 3,
    });
    expect((await deliver([low, flagged])).explicitAcks).toHaveLength(2);

    const lowRecipients = (await deliveriesFor(low.id)).map((r) => r.userId);
    expect(lowRecipients).toContain(admin.userId);
    expect(lowRecipients).not.toContain(support.userId);
    expect(lowRecipients).not.toContain(shopper.userId);
    const [stockMail] = (await captured(admin.email, "email")).filter((m) => m.subject?.includes(sku));
    expect(stockMail!.subject).toBe(`Low stock: ${sku} (2 left)`);

    const flaggedRecipients = (await deliveriesFor(flagged.id)).map((r) => r.userId);
    expect(flaggedRecipients).toEqual(expect.arrayContaining([admin.userId, support.userId]));
    expect(flaggedRecipients).not.toContain(shopper.userId);
  });
});

describe("account deletion", () => {
  it("forgets the user's push subscriptions and captured messages, and blanks the masked addresses", async () => {
    const user = await customer();
    const browser = await browserSubscription();
    await api("/api/notifications/push/subscriptions", { method: "POST", token: user.accessToken, json: browser.json });
    await eventuallyCaptured(user.email, /Welcome/);
    expect((await api(`/api/users/${user.userId}`, { method: "DELETE", token: user.accessToken })).status).toBe(204);
    await expect.poll(async () => (await captured(user.email)).length, { timeout: 20_000, interval: 100 }).toBe(0);
    const list = (await (await api(`/api/notifications?userId=${user.userId}`)).json()) as { items: { recipient: string | null }[] };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.recipient === null)).toBe(true);
    // The deleted account's token is refused at once, and its subscription is gone from the table.
    expect((await api("/api/notifications/push/subscriptions", { token: user.accessToken })).status).toBe(401);
    const left = await withTestDb((db) =>
      db.execute(sql`SELECT count(*)::int AS n FROM notifications.push_subscriptions WHERE user_id = ${user.userId}`),
    );
    expect(left.rows[0]).toEqual({ n: 0 });
  });
});
