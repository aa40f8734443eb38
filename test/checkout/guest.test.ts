/**
 * Guest checkout over HTTP: a guest in Germany orders the guest cart of the
 * `cart_id` cookie with an email address, pays through the order's link,
 * receives the mails with the signed link, and finds the order again by the
 * link or by its number and address; nobody else does. A verified account
 * with that address claims the order. Placing and looking up are throttled
 * per client address.
 */
import { afterAll, describe, expect, it } from "vitest";
import { eventuallyCaptured } from "../../workers/notifications/test-fixtures.ts";
import { signGuestLink } from "../../workers/orders/guest-links.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { testEnv } from "../helpers/db.ts";
import { api, eventually } from "../helpers/http.ts";
import { clientIp, mailedToken, registerAndLogin, uniqueEmail } from "../helpers/identity.ts";
import { json, orderObject, type Problem, quiesce, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

const BERLIN = { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };
type GuestOrder = OrderView & { guestLink: { token: string; expiresAt: string } };

/** A guest's cart with `quantity` of `sku`: the cookie value the server signed. */
async function guestCartWith(sku: string, quantity: number): Promise<string> {
  const res = await api("/api/cart/items", { method: "POST", token: null, json: { sku, quantity } });
  expect(res.status).toBe(200);
  const cookie = /cart_id=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error("no guest cart cookie");
  return cookie;
}

function placeGuestOrder(body: Record<string, unknown>, opts: { cookie?: string; ip?: string; token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip ?? clientIp() };
  if (opts.cookie) headers.cookie = `cart_id=${opts.cookie}`;
  return api("/api/orders/guest", { method: "POST", token: opts.token ?? null, json: { shippingAddress: BERLIN, ...body }, headers });
}

const readByLink = (token: string) => api("/api/orders/guest/view", { method: "POST", token: null, json: { token } });
const payByLink = (token: string, paymentMethodId = "pm_card_visa") =>
  api("/api/orders/guest/pay", { method: "POST", token: null, json: { token, paymentMethodId } });
const lookup = (body: unknown, ip = clientIp()) =>
  api("/api/orders/lookup", { method: "POST", token: null, json: body, headers: { "cf-connecting-ip": ip } });

/** A guest order of one 119.00 EUR item (19 % German VAT included), placed from the guest cart. */
async function guestOrder(email = uniqueEmail("guest")): Promise<{ order: GuestOrder; email: string; cookie: string }> {
  const { skus } = await stocked([11_900], 5, "EUR");
  const cookie = await guestCartWith(skus[0]!, 1);
  const order = await json<GuestOrder>(await placeGuestOrder({ guestEmail: email }, { cookie }), 201);
  return { order, email, cookie };
}

/** Changes one character of the token's signature (the last part). */
const altered = (token: string) => `${token.slice(0, -2)}${token.at(-2) === "A" ? "B" : "A"}${token.at(-1)}`;

describe("guest checkout", () => {
  it("a guest in Germany orders the cart with VAT, pays through the link, and gets the mails with a link that shows the order", async () => {
    const { order, email, cookie } = await guestOrder();
    expect(order.userId).toMatch(/^gst_[0-9A-Z]{26}$/);
    expect(order.status).toBe("pending");
    expect(order.totals).toMatchObject({ subtotalMinor: 11_900, shippingMinor: 0, taxMinor: 1_900, totalMinor: 11_900 });
    expect(order.tax).toMatchObject({ included: true, regionCode: "DE" });
    // The cart was ordered: it is empty now.
    const cart = await json<{ lines: unknown[] }>(await api("/api/cart", { token: null, headers: { cookie: `cart_id=${cookie}` } }), 200);
    expect(cart.lines).toEqual([]);

    const paid = await json<OrderView>(await payByLink(order.guestLink.token), 200);
    expect(paid).toMatchObject({ id: order.id, status: "confirmed" });
    expect(paid.payment).toMatchObject({ capturedMinor: 11_900 });

    const [received] = await eventuallyCaptured(email, new RegExp(`We received your order ${order.number}`));
    await eventuallyCaptured(email, new RegExp(`Your order ${order.number} is confirmed`));
    const link = /https?:\/\/\S+\/orders\/guest\?\S+/.exec(received!.text ?? "")?.[0];
    expect(link, "the mail carries the order's link").toBeTruthy();
    const mailed = new URL(link!).searchParams.get("token")!;
    const shown = await json<OrderView>(await readByLink(mailed), 200);
    expect(shown).toMatchObject({ id: order.id, number: order.number, status: "confirmed" });
  });

  it("finds nothing with an altered, guessed or other order's token (404), and says an expired link expired (410)", async () => {
    const { order, email } = await guestOrder();
    const { order: other } = await guestOrder();
    const token = order.guestLink.token;
    expect((await json<Problem>(await readByLink(altered(token)), 404)).code).toBe("NOT_FOUND");
    expect((await readByLink("ord_00000000000000000000000000.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await readByLink("not-a-token")).status).toBe(404);
    // Another order's id under this order's signature.
    expect((await readByLink(token.replace(order.id, other.id))).status).toBe(404);
    // Paying needs a genuine token too: nothing happened to the order.
    expect((await payByLink(altered(token))).status).toBe(404);
    expect((await json<OrderView>(await readByLink(token), 200)).status).toBe("pending");

    const lapsed = await signGuestLink(testEnv, { id: order.id, guestEmail: email }, Date.now() - 400 * 86_400_000);
    expect((await json<Problem>(await readByLink(lapsed.token), 410)).code).toBe("ORDER_LINK_EXPIRED");
    expect((await readByLink(altered(lapsed.token))).status).toBe(404);
  });

  it("looks an order up by number and email; a wrong pair is 404 like an unknown number", async () => {
    const { order, email } = await guestOrder();
    const found = await json<GuestOrder>(await lookup({ number: order.number.toLowerCase(), email: email.toUpperCase() }), 200);
    expect(found).toMatchObject({ id: order.id, number: order.number });
    expect((await json<OrderView>(await readByLink(found.guestLink.token), 200)).id).toBe(order.id);

    expect((await json<Problem>(await lookup({ number: order.number, email: uniqueEmail("wrong") }), 404)).code).toBe("NOT_FOUND");
    expect((await lookup({ number: "EC-1999-999999", email })).status).toBe(404);
    // An account's order is not a guest order: its number and its owner's address find nothing here.
    const user = await registerAndLogin();
    const { skus } = await stocked([1_000], 2, "EUR");
    const mine = await json<OrderView>(
      await api("/api/orders", {
        method: "POST",
        token: user.accessToken,
        json: { shippingAddress: BERLIN, lines: [{ sku: skus[0], quantity: 1 }] },
      }),
      201,
    );
    expect((await lookup({ number: mine.number, email: user.email })).status).toBe(404);
  });

  it("is not another user's: a signed-in stranger gets 404, and signed-in customers cannot place guest orders", async () => {
    const { order } = await guestOrder();
    const stranger = await registerAndLogin();
    expect((await api(`/api/orders/${order.id}`, { token: stranger.accessToken })).status).toBe(404);
    const theirs = await json<{ items: { id: string }[] }>(await api("/api/orders", { token: stranger.accessToken }), 200);
    expect(theirs.items.map((o) => o.id)).not.toContain(order.id);
    expect(
      (await api(`/api/orders/${order.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: stranger.accessToken })).status,
    ).toBe(404);
    const signedIn = await placeGuestOrder({ guestEmail: uniqueEmail("guest") }, { token: stranger.accessToken });
    expect((await json<Problem>(signedIn, 403)).code).toBe("FORBIDDEN");
  });

  it("is claimed by the account that registers with the address and verifies it, and only then", async () => {
    const email = uniqueEmail("claim");
    const { order } = await guestOrder(email);
    const { order: second } = await guestOrder(email.toUpperCase());
    const user = await registerAndLogin("customer", { email });
    const listed = async () =>
      (await json<{ items: { id: string; userId: string }[] }>(await api("/api/orders", { token: user.accessToken }), 200)).items;
    // Registered but not verified: anyone can type an address, so nothing is claimed yet.
    expect((await listed()).map((o) => o.id)).toEqual([]);

    const token = await mailedToken(user.userId, "EmailVerificationRequested");
    expect((await api("/api/auth/verify-email", { method: "POST", token: null, json: { token } })).status).toBe(200);
    const claimed = await eventually(
      async () => {
        const items = await listed();
        return items.length === 2 ? items : undefined;
      },
      20_000,
      "the claimed guest orders in the user's list",
    );
    expect(claimed.map((o) => o.id).sort()).toEqual([order.id, second.id].sort());
    expect(claimed.every((o) => o.userId === user.userId)).toBe(true);
    const mine = await json<OrderView>(await api(`/api/orders/${order.id}`, { token: user.accessToken }), 200);
    expect(mine.timeline.at(-1)).toMatchObject({ note: expect.stringContaining("claimed") });
    // Once: a redelivered event, or another account naming the address, takes nothing.
    expect(await orderObject(order.id).claim({ orderId: order.id, userId: "usr_someone_else", email })).toBe(false);
    expect((await json<OrderView>(await api(`/api/orders/${order.id}`, { token: user.accessToken }), 200)).userId).toBe(user.userId);
    // The account pays for it now, as for any of its orders.
    expect(
      (await api(`/api/orders/${second.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: user.accessToken })).status,
    ).toBe(200);
  });

  it("throttles guest orders and lookups per client address (429 with Retry-After past the budget)", async () => {
    const ip = clientIp();
    // Without a guest cart each attempt is refused (422) but still counts, as a sign-up attempt does.
    for (let i = 0; i < 10; i++)
      expect((await json<Problem>(await placeGuestOrder({ guestEmail: uniqueEmail("t") }, { ip }), 422)).code).toBe("GUEST_CART_REQUIRED");
    const over = await placeGuestOrder({ guestEmail: uniqueEmail("t") }, { ip });
    expect((await json<Problem>(over, 429)).code).toBe("RATE_LIMITED");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not held back.
    expect((await placeGuestOrder({ guestEmail: uniqueEmail("t") })).status).toBe(422);

    const lookupIp = clientIp();
    for (let i = 0; i < 20; i++) expect((await lookup({ number: "EC-1999-000001", email: "a@test.example" }, lookupIp)).status).toBe(404);
    expect((await lookup({ number: "EC-1999-000001", email: "a@test.example" }, lookupIp)).status).toBe(429);
  });

  it("refuses bad input with 422 and stores nothing", async () => {
    const { skus } = await stocked([11_900], 5, "EUR");
    const cookie = await guestCartWith(skus[0]!, 1);
    const email = uniqueEmail("bad");
    for (const body of [
      {},
      { guestEmail: "not-an-address" },
      { guestEmail: `${email}\u0000` },
      { guestEmail: email, extra: true },
      { guestEmail: email, lines: [{ sku: skus[0], quantity: 1e12 }] },
      { guestEmail: email, shippingAddress: { ...BERLIN, postalCode: "" } },
    ])
      expect((await placeGuestOrder(body, { cookie })).status).toBe(422);
    for (const body of [{ number: "EC-1", email: "x" }, { number: "EC\u0000", email }, { number: "EC-1" }, {}])
      expect((await lookup(body)).status).toBe(422);
    expect((await readByLink("x".repeat(300))).status).toBe(422);
    // Nothing was ordered: the cart still holds its line.
    const cart = await json<{ lines: unknown[] }>(await api("/api/cart", { token: null, headers: { cookie: `cart_id=${cookie}` } }), 200);
    expect(cart.lines).toHaveLength(1);
    expect((await lookup({ number: "EC-2026-000001", email })).status).toBe(404);
  });
});
