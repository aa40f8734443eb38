/**
 * Abandoned-cart reminders for guests: a guest leaves an address on the cart
 * (PUT /api/cart/contact) with or without consent; when the cart is
 * abandoned, only a consenting guest gets one reminder, in the language
 * given, whose link restores the lines into a guest cart once. The endpoint
 * is for guests, validated and throttled; the cap holds per address.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { suppressions } from "../../db/schema/notifications.ts";
import type { CartState } from "../../durable-objects/cart/cart-rules.ts";
import type { Cart } from "../../durable-objects/cart/index.ts";
import { CartAbandoned } from "../../queues/contracts/events/cart.ts";
import { recipientHash } from "../../workers/notifications/compose.ts";
import { captured, deliver, deliveriesFor, event, eventuallyCaptured } from "../../workers/notifications/test-fixtures.ts";
import { newId } from "../../workers/platform/ids.ts";
import { testBindings, withTestDb } from "../helpers/db.ts";
import { clearFault, injectFault, processedBy } from "../helpers/events.ts";
import { api, eventually } from "../helpers/http.ts";
import { clientIp, uniqueEmail } from "../helpers/identity.ts";
import { json, type Problem, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

const TTL_MS = 7 * 24 * 3600_000;
type CartBody = { owner: string; lines: { sku: string; quantity: number }[] };

/** A guest cart holding `quantity` of a fresh SKU: its cookie value, the object, and the SKU. */
async function guestCart(quantity: number) {
  const { skus } = await stocked([2_500], 10);
  const res = await api("/api/cart/items", { method: "POST", token: null, json: { sku: skus[0], quantity } });
  expect(res.status).toBe(200);
  const cookie = /cart_id=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
  const stub = testBindings.CART.get(testBindings.CART.idFromName(`guest:${cookie.split(".")[0]}`)) as DurableObjectStub<Cart>;
  return { cookie, stub, sku: skus[0]! };
}

const putContact = (body: unknown, opts: { cookie?: string; ip?: string; token?: string; headers?: Record<string, string> } = {}) =>
  api("/api/cart/contact", {
    method: "PUT",
    token: opts.token ?? null,
    json: body,
    headers: { "cf-connecting-ip": opts.ip ?? clientIp(), ...(opts.cookie ? { cookie: `cart_id=${opts.cookie}` } : {}), ...opts.headers },
  });

/** Idles the cart past its time and lets its alarm expire it (CartAbandoned into the object's outbox, then published). */
async function abandon(stub: DurableObjectStub<Cart>): Promise<void> {
  await runInDurableObject(stub, (instance: Cart, state) => {
    const cart = instance as unknown as { state: CartState };
    cart.state = { ...cart.state, lastActivityAt: cart.state.lastActivityAt - TTL_MS - 1000 };
    state.storage.sql.exec("UPDATE cart SET state = ? WHERE id = 1", JSON.stringify(cart.state));
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

const restore = (token: string, opts: { cookie?: string; bearer?: string } = {}) =>
  api("/api/cart/restore", {
    method: "POST",
    token: opts.bearer ?? null,
    json: { token },
    headers: opts.cookie ? { cookie: `cart_id=${opts.cookie}` } : undefined,
  });

describe("a guest's reminder address", () => {
  it("reminds a consenting guest once, in the language given, and the link restores the cart once", async () => {
    const email = uniqueEmail("cart-guest");
    const { cookie, stub, sku } = await guestCart(2);
    const stored = await json<{ email: string; marketingConsent: boolean; locale: string }>(
      await putContact(
        { email: email.toUpperCase(), marketingConsent: true },
        { cookie, headers: { "accept-language": "de-DE,en;q=0.5" } },
      ),
      200,
    );
    expect(stored).toEqual({ email, marketingConsent: true, locale: "de" });
    await abandon(stub);

    const [mail] = await eventuallyCaptured(email, /Sie haben 2 Artikel im Warenkorb gelassen/);
    const token = /\/cart\/restore\?token=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})/.exec(mail!.text ?? "")?.[1];
    expect(token, "the mail carries the restore link").toBeTruthy();

    // A signed-in shopper cannot take a guest's link; the guest, without any cookie, gets the lines and a cart of their own.
    const user = await shopper();
    expect((await restore(token!, { bearer: user.accessToken })).status).toBe(404);
    const first = await restore(token!);
    const restored = await json<CartBody>(first, 200);
    expect(restored).toMatchObject({ owner: "guest", lines: [{ sku, quantity: 2 }] });
    const newCookie = /cart_id=([^;]*)/.exec(first.headers.get("set-cookie") ?? "")?.[1];
    expect(newCookie).toBeTruthy();
    // Used once: from another client it is refused; from the cart it restored into it adds nothing more.
    expect((await json<Problem>(await restore(token!), 409)).code).toBe("RESTORE_TOKEN_USED");
    expect(await json<CartBody>(await restore(token!, { cookie: newCookie }), 200)).toMatchObject({ lines: [{ sku, quantity: 2 }] });

    await quiesce();
    expect((await captured(email, "email")).filter((m) => /Warenkorb/.test(m.subject ?? ""))).toHaveLength(1);
  });

  it("sends nothing when the guest said no: the abandoned cart's event carries no address", async () => {
    const email = uniqueEmail("cart-no");
    const { cookie, stub } = await guestCart(1);
    await json(await putContact({ email, marketingConsent: false }, { cookie }), 200);
    const key = stub.id.toString();
    await injectFault("cart:publish", key, null);
    let abandonedId: string | undefined;
    try {
      await abandon(stub);
      const events = await runInDurableObject(stub, (_i: Cart, state) =>
        state.storage.sql
          .exec<{ envelope: string }>("SELECT envelope FROM outbox ORDER BY seq")
          .toArray()
          .map((r) => JSON.parse(r.envelope) as { id: string; type: string; payload: Record<string, unknown> }),
      );
      const abandoned = events.find((e) => e.type === "CartAbandoned");
      expect(abandoned?.payload).toMatchObject({ userId: null, guestContact: null });
      abandonedId = abandoned!.id;
    } finally {
      await clearFault("cart:publish", key);
    }
    await eventually(async () => ((await processedBy("notifications", abandonedId!)) ? true : undefined), 20_000, "handled");
    expect(await captured(email)).toEqual([]);
    expect(await deliveriesFor(abandonedId!)).toEqual([]);
  });

  it("removes the address on request, leaving nothing a reminder could go to", async () => {
    const email = uniqueEmail("cart-withdrawn");
    const { cookie, stub } = await guestCart(1);
    await json(await putContact({ email, marketingConsent: true }, { cookie }), 200);
    expect((await api("/api/cart/contact", { method: "DELETE", token: null, headers: { cookie: `cart_id=${cookie}` } })).status).toBe(204);
    const state = await runInDurableObject(stub, (instance: Cart) => (instance as unknown as { state: CartState }).state);
    expect(state.contact).toBeUndefined();
  });

  it("caps reminders per guest address (a second abandoned cart within the cap is skipped) and honours an unsubscribe", async () => {
    const email = uniqueEmail("cart-cap");
    const abandoned = (to = email) =>
      event(
        CartAbandoned,
        {
          cartId: newId("crt"),
          userId: null,
          lines: [{ sku: "TEA-1", quantity: 1, unitPriceMinor: 3900, currency: "EUR" }],
          itemCount: 1,
          lastActivityAt: new Date(Date.now() - 3600_000).toISOString(),
          idleSeconds: 3600,
          guestContact: { email: to, locale: "en" },
        },
        "crt",
      );
    const [a, b] = [abandoned(), abandoned()];
    await deliver([a]);
    await deliver([b, a]);
    expect((await captured(email, "email")).map((m) => m.subject)).toEqual(["You left 1 item(s) in your cart"]);
    expect((await deliveriesFor(b.id)).map((r) => [r.status, r.skipReason])).toEqual([["skipped", "frequency_capped"]]);

    // An address that unsubscribed (as a provider reported it) gets no reminder, and takes no slot of the cap.
    const gone = uniqueEmail("cart-unsubscribed");
    const hash = await recipientHash("email", gone);
    await withTestDb((db) => db.insert(suppressions).values({ channel: "email", recipientHash: hash, reason: "unsubscribed" }));
    const c = abandoned(gone);
    await deliver([c]);
    expect(await captured(gone)).toEqual([]);
    expect((await deliveriesFor(c.id)).map((r) => [r.status, r.skipReason])).toEqual([["skipped", "suppressed"]]);
  });

  it("is for guests only, validated, and throttled per client address", async () => {
    const user = await shopper();
    const email = uniqueEmail("cart-bad");
    expect((await putContact({ email, marketingConsent: true }, { token: user.accessToken })).status).toBe(403);
    expect((await api("/api/cart/contact", { method: "DELETE", token: user.accessToken })).status).toBe(403);
    for (const bad of [
      { email: "not-an-address", marketingConsent: true },
      { email },
      { email, marketingConsent: "yes" },
      { email, marketingConsent: true, locale: "fr" },
      { email, marketingConsent: true, extra: 1 },
      { email: `${"a".repeat(250)}@example.com`, marketingConsent: true },
      { email: "a\u0000b@example.com", marketingConsent: true },
    ])
      expect((await putContact(bad)).status, JSON.stringify(bad)).toBe(422);
    const ip = clientIp();
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await putContact({ email, marketingConsent: true }, { ip })).status);
    expect(answers.slice(0, 10).every((s) => s === 200)).toBe(true);
    const last = await putContact({ email, marketingConsent: true }, { ip });
    expect(last.status).toBe(429);
    expect(last.headers.get("retry-after")).toBeTruthy();
  });
});
