/**
 * The shopper paths of `npm run bench`, each a step of step-load.ts: browse
 * (from the edge cache, and uncached: an operations token bypasses the
 * cache, which is what every miss costs), a product page uncached, search, add
 * to cart (64 returning visitors, each with a guest cart of its own, adding
 * units of 16 SKUs) and checkout (create, then confirm with the sandbox card:
 * two requests).
 */
import { request } from "undici";
import { ADDRESS, OPS_TOKEN } from "./fixtures.ts";
import { httpStep, NO_ANSWER, type Step, statusResult, sumResults } from "./step-load.ts";

export interface Sample {
  category: string;
  slug: string;
  terms: string[];
  skus: string[];
  tokens: string[];
}

const admin = { authorization: `Bearer ${OPS_TOKEN}` };

/** Adds a unit to one of `carts` guest carts; each keeps the cookie its first add was given. */
function addToCartStep(base: string, s: Sample, carts = 64): Step {
  const cookies: (string | undefined)[] = new Array(carts);
  return async (agent, i) => {
    const slot = i % carts;
    try {
      const res = await request(`${base}/api/cart/items`, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json", ...(cookies[slot] ? { cookie: cookies[slot] } : {}) },
        body: JSON.stringify({ sku: s.skus[Math.floor(i / carts) % s.skus.length], quantity: 1 }),
      });
      await res.body.dump();
      const set = res.headers["set-cookie"];
      const cookie = (Array.isArray(set) ? set : set ? [set] : []).find((c) => c.startsWith("cart_id="));
      if (cookie) cookies[slot] = cookie.split(";")[0];
      return statusResult(res.statusCode, 200, 1, res.headers["server-timing"]);
    } catch {
      return NO_ANSWER;
    }
  };
}

function checkoutStep(base: string, s: Sample): Step {
  return async (agent, i) => {
    const auth = { authorization: `Bearer ${s.tokens[i % s.tokens.length]}` };
    try {
      const created = await request(`${base}/api/orders`, {
        method: "POST",
        dispatcher: agent,
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ shippingAddress: ADDRESS, lines: [{ sku: s.skus[i % s.skus.length], quantity: 1 }] }),
      });
      const order = (await created.body.json()) as { id?: string };
      const first = statusResult(created.statusCode, 201, 1, created.headers["server-timing"], "create");
      if (!first.ok || !order.id) return first;
      const confirmed = await request(`${base}/api/orders/${order.id}/confirm?paymentMethodId=pm_card_visa`, {
        method: "PUT",
        dispatcher: agent,
        headers: auth,
      });
      await confirmed.body.dump();
      // 202: the saga outlasted the request's budget and finishes later; counted apart from real failures.
      return sumResults(first, statusResult(confirmed.statusCode, 200, 1, confirmed.headers["server-timing"], "confirm"));
    } catch {
      return NO_ANSWER;
    }
  };
}

export const shopperSteps = {
  hello: (base: string): Step => httpStep(() => ({ url: `${base}/` })),

  app: (base: string, s: Sample): Record<string, Step> => ({
    "browse (cached)": httpStep(() => ({ url: `${base}/api/products?limit=20` })),
    "browse (uncached)": httpStep(() => ({ url: `${base}/api/products?limit=20`, headers: admin })),
    "category (uncached)": httpStep(() => ({
      url: `${base}/api/products?category=${encodeURIComponent(s.category)}&inStock=true&sort=price_asc&limit=20`,
      headers: admin,
    })),
    "detail (uncached)": httpStep(() => ({ url: `${base}/api/products/${s.slug}`, headers: admin })),
    search: httpStep((i) => ({ url: `${base}/api/search?q=${encodeURIComponent(s.terms[i % s.terms.length] ?? "shirt")}` })),
    "add to cart": addToCartStep(base, s),
    checkout: checkoutStep(base, s),
  }),
};
