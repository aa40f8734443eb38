/**
 * Cart reminders: an abandoned cart of a signed-in user who opted into
 * marketing mail earns exactly one reminder with a restore link, however
 * often or concurrently the event is delivered; none for an opted-out user,
 * a guest cart, or another cart within the frequency cap.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CartAbandoned } from "../../queues/contracts/events/cart.ts";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { mailedToken } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { type Customer, captured, customer, deliver, deliveriesFor, event } from "./test-fixtures.ts";

async function shopper(marketingEmails: boolean): Promise<Customer> {
  const user = await customer({ preferences: { marketingEmails } });
  const token = await mailedToken(user.userId, "EmailVerificationRequested");
  const res = await api("/api/auth/verify-email", { method: "POST", token: null, json: { token } });
  expect(res.status).toBe(200);
  return user;
}

const abandoned = (userId: string | null) =>
  event(
    CartAbandoned,
    {
      cartId: newId("crt"),
      userId,
      lines: [
        { sku: `NOPE-${crypto.randomUUID().slice(0, 6)}`, quantity: 2, unitPriceMinor: 1250, currency: "EUR" },
        { sku: "TEA-1", quantity: 1, unitPriceMinor: 3900, currency: "EUR" },
      ],
      itemCount: 3,
      lastActivityAt: new Date(Date.now() - 3600_000).toISOString(),
      idleSeconds: 3600,
    },
    "crt",
  );

const reminders = async (email: string) => (await captured(email, "email")).filter((m) => /in your cart/.test(m.subject ?? ""));

describe("cart reminders", () => {
  it("mails the lines and a restore link once, however often and concurrently the event arrives", async () => {
    const user = await shopper(true);
    const ev = abandoned(user.userId);
    const [a, b] = await Promise.all([deliver([ev, ev]), deliver([ev])]);
    expect(a.retryMessages.length + b.retryMessages.length).toBe(0);
    await deliver([ev], undefined, 2);

    const mails = await reminders(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("You left 3 item(s) in your cart");
    expect(mails[0]!.text).toContain("2 × NOPE-");
    expect(mails[0]!.text).toContain("€25.00");
    expect(mails[0]!.text).toMatch(/\/cart\/restore\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/);
    expect((await deliveriesFor(ev.id)).map((r) => [r.channel, r.status, r.category])).toEqual([["email", "sent", "marketing"]]);
  });

  it("sends nothing to a user who did not opt into marketing mail, and nothing for a guest cart", async () => {
    const user = await shopper(false);
    const ev = abandoned(user.userId);
    const guest = abandoned(null);
    expect((await deliver([ev, guest])).explicitAcks).toHaveLength(2);
    expect(await reminders(user.email)).toHaveLength(0);
    expect((await deliveriesFor(ev.id)).map((r) => [r.status, r.skipReason])).toEqual([["skipped", "opted_out"]]);
    expect(await deliveriesFor(guest.id)).toEqual([]);
    // An opted-out user's skip takes no slot of the cap.
    const row = await withTestDb((db) => db.execute(sql`select 1 from notifications.cart_reminders where user_id = ${user.userId}`));
    expect(row.rows).toHaveLength(0);
  });

  it("caps reminders at one per user within the window, even for two carts racing, and sends again after it", async () => {
    const user = await shopper(true);
    const first = abandoned(user.userId);
    const second = abandoned(user.userId);
    await Promise.all([deliver([first]), deliver([second])]);
    expect(await reminders(user.email)).toHaveLength(1);
    const records = [...(await deliveriesFor(first.id)), ...(await deliveriesFor(second.id))];
    expect(records.map((r) => r.status).sort()).toEqual(["sent", "skipped"]);
    expect(records.find((r) => r.status === "skipped")!.skipReason).toBe("frequency_capped");

    const third = abandoned(user.userId);
    await deliver([third]);
    expect(await reminders(user.email)).toHaveLength(1);

    // Once the cap (24 hours by default) has passed, the next abandoned cart is reminded of.
    await withTestDb((db) =>
      db.execute(sql`update notifications.cart_reminders set reminded_at = now() - interval '25 hours' where user_id = ${user.userId}`),
    );
    const later = abandoned(user.userId);
    await deliver([later]);
    expect(await reminders(user.email)).toHaveLength(2);
    expect((await deliveriesFor(later.id))[0]!.status).toBe("sent");
  });
});
