/** The HTTP side of the browser tests: accounts, orders and reviews made through the API, as a shop's customers would. */
import { createHmac, randomUUID } from "node:crypto";

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

async function call<T>(
  base: string,
  path: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? (init.json === undefined ? "GET" : "POST")} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export { call as apiCall };

/** A new account; staff roles are given with the operations token. */
export async function newAccount(
  base: string,
  opsToken: string,
  role: "customer" | "support" | "analyst" | "admin" = "customer",
): Promise<Account> {
  const email = `${role}-${randomUUID().slice(0, 10)}@console-test.example`;
  const password = `lantern-${randomUUID().slice(0, 8)}-harbour-mist`;
  const user = await call<{ id: string }>(base, "/api/users/register", { json: { email, password, name: `Test ${role}` } });
  if (role !== "customer") await call(base, `/api/users/${user.id}`, { method: "PUT", token: opsToken, json: { role } });
  const tokens = await call<{ accessToken: string }>(base, "/api/auth/login", { json: { email, password } });
  return { id: user.id, email, password, token: tokens.accessToken };
}

/**
 * A SKU of an active demo product whose stock object holds at least `units`
 * (the start-up opens the objects from the seeded stock in the background, so this waits for it).
 */
export async function sellableSku(base: string, units = 5): Promise<{ sku: string; productId: string }> {
  const page = await call<{ items: { id: string }[] }>(base, "/api/products?inStock=true&limit=10&currency=USD");
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const p of page.items) {
      const product = await call<{ variants: { sku: string; price: { currency: string } }[] }>(base, `/api/products/${p.id}`);
      for (const v of product.variants.filter((x) => x.price.currency === "USD")) {
        // 404 until the object of the SKU is opened.
        const level = await call<{ available: number }>(base, `/api/inventory/${encodeURIComponent(v.sku)}`).catch(() => ({
          available: 0,
        }));
        if (level.available >= units) return { sku: v.sku, productId: p.id };
      }
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error("no demo SKU had stock within 2 minutes");
}

const address = { name: "Ada Test", line1: "1 Test Street", city: "Lisbon", postalCode: "1000-001", country: "PT" };

/** A customer places and pays `count` orders (sandbox card): sales, a funnel and an order feed for the dashboard. */
export async function placeConfirmedOrders(
  base: string,
  count: number,
  customer?: Account,
): Promise<{ orderIds: string[]; customer: Account }> {
  const buyer = customer ?? (await newAccount(base, "", "customer"));
  const { sku } = await sellableSku(base);
  const orderIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const order = await call<{ id: string }>(base, "/api/orders", {
      token: buyer.token,
      json: { lines: [{ sku, quantity: 1 }], shippingAddress: address },
      headers: { "idempotency-key": randomUUID() },
    });
    await call(base, `/api/orders/${order.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: buyer.token });
    orderIds.push(order.id);
  }
  return { orderIds, customer: buyer };
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Decode(text: string): Buffer {
  let bits = "";
  for (const ch of text.replace(/=+$/, "").toUpperCase()) bits += BASE32.indexOf(ch).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at `unixMs`, as an authenticator app shows it. */
export function totpCode(secret: string, unixMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixMs / 30_000)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

/** Turns TOTP on for an account; answers the secret. */
export async function enableMfa(base: string, account: Account): Promise<string> {
  const enrol = await call<{ secret: string }>(base, "/api/auth/mfa/totp/enroll", {
    token: account.token,
    json: { password: account.password },
  });
  await call(base, "/api/auth/mfa/totp/confirm", { token: account.token, json: { code: totpCode(enrol.secret, Date.now()) } });
  return enrol.secret;
}
