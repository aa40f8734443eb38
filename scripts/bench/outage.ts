/**
 * `npx tsx scripts/bench/outage.ts`: the shop through a database outage.
 *
 * Shoppers (closed loop, each waits for its answer) browse, search, fill
 * carts and check out against the built Worker (Miniflare with its real
 * bindings, Postgres through the relay). After a warm phase the embedded
 * PostgreSQL server is killed (SIGKILL to the postmaster and its backends),
 * kept down for --outage seconds, and started again. Printed: during the
 * outage, the shares of answers that were 2xx (stale copies included), 503
 * with Retry-After, and anything else, per kind of request; the longest
 * answer (and the hello-world Worker's longest in the same run, for scale);
 * and after recovery what was lost: carts compared with what each shopper was
 * told, and orders answered 201 that do not exist (or exist without a 201).
 *
 * Options: --outage N (seconds down, default 60), --warm N (seconds before,
 * default 10), --after N (seconds after, default 10), --shoppers N (default 8).
 */
import { parseArgs } from "node:util";
import { Agent, request } from "undici";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { ADDRESS, OPS_TOKEN, shoppers, stockedSkus } from "./fixtures.ts";
import { closedLoop } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    outage: { type: "string", default: "60" },
    warm: { type: "string", default: "10" },
    after: { type: "string", default: "10" },
    shoppers: { type: "string", default: "8" },
  },
});
const OUTAGE_S = Number(args.outage);
const WARM_S = Number(args.warm);
const AFTER_S = Number(args.after);
const SHOPPERS = Number(args.shoppers);

type Kind = "browse" | "cart" | "checkout";
type Phase = "before" | "outage" | "after";
interface Tally {
  ok: number;
  unavailable: number;
  other: Record<string, number>;
  longestMs: number;
}
const tally = (): Tally => ({ ok: 0, unavailable: 0, other: {}, longestMs: 0 });
const tallies: Record<Phase, Record<Kind, Tally>> = {
  before: { browse: tally(), cart: tally(), checkout: tally() },
  outage: { browse: tally(), cart: tally(), checkout: tally() },
  after: { browse: tally(), cart: tally(), checkout: tally() },
};
let phase: Phase = "before";
let staleAnswers = 0;

const agent = new Agent({ connections: 64, pipelining: 1 });

async function send(base: string, kind: Kind, method: string, path: string, token: string, body?: unknown) {
  const t0 = performance.now();
  const at = phase;
  try {
    const res = await request(`${base}${path}`, {
      method: method as "GET",
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    const ms = performance.now() - t0;
    const t = tallies[at][kind];
    t.longestMs = Math.max(t.longestMs, ms);
    if (res.statusCode >= 200 && res.statusCode < 300) t.ok++;
    else if (res.statusCode === 503 && res.headers["retry-after"]) t.unavailable++;
    else t.other[res.statusCode] = (t.other[res.statusCode] ?? 0) + 1;
    if (res.headers["x-cache"] === "STALE") staleAnswers++;
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch (err) {
    const t = tallies[at][kind];
    t.other.network = (t.other.network ?? 0) + 1;
    return { status: 0, json: { error: String(err) } };
  }
}

interface Shopper {
  token: string;
  /** What the shopper was last told its cart holds (from 2xx cart answers). */
  told: Map<string, number>;
  /** Orders answered 201. */
  orders: Set<string>;
}

async function shop(base: string, s: Shopper, skus: string[], productId: string, until: () => boolean): Promise<void> {
  let i = 0;
  while (!until()) {
    const sku = skus[(i * 7 + s.token.length) % skus.length]!;
    const pick = i++ % 10;
    if (pick < 2) await send(base, "browse", "GET", "/api/products?limit=12", s.token);
    else if (pick < 4) await send(base, "browse", "GET", `/api/products/${productId}`, s.token);
    else if (pick < 5) await send(base, "browse", "GET", "/api/search?q=bench", s.token);
    else if (pick < 8) {
      const r = await send(base, "cart", "POST", "/api/cart/items", s.token, { sku, quantity: 1 });
      if (r.status === 200) remember(s, r.json);
    } else if (pick < 9) {
      const r = await send(base, "cart", "GET", "/api/cart", s.token);
      if (r.status === 200) remember(s, r.json);
    } else {
      const r = await send(base, "checkout", "POST", "/api/orders", s.token, { shippingAddress: ADDRESS, lines: [{ sku, quantity: 1 }] });
      if (r.status === 201) s.orders.add(String(r.json.id));
    }
  }
}

function remember(s: Shopper, cart: Record<string, unknown>): void {
  s.told = new Map(((cart.lines ?? []) as { sku: string; quantity: number }[]).map((l) => [l.sku, l.quantity]));
}

const share = (n: number, total: number) => (total === 0 ? "-" : `${((100 * n) / total).toFixed(1)} %`);

async function main(): Promise<void> {
  console.log(`outage bench: ${SHOPPERS} shoppers; ${WARM_S}s up, ${OUTAGE_S}s with Postgres killed, ${AFTER_S}s after its restart`);
  const stack = await startStack({ mode: "test" });
  if (!stack.outage) throw new Error("the outage bench needs the embedded PostgreSQL server (unset DATABASE_URL)");
  try {
    await migrateDatabase(stack.databaseUrl);
    const hello = await startMiniflareHello();
    const helloRun = await closedLoop(`${hello.url}/`, SHOPPERS, 3);
    await hello.stop();

    const app = await startMiniflareApp(build(), {
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: "error",
      OPS_TOKEN,
      JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
      MFA_ENCRYPTION_KEY: encryptionKeyVar(),
    });
    try {
      const skus = await stockedSkus(app.url, 6);
      const products = (await (await fetch(`${app.url}/api/products?limit=1`)).json()) as { items: { id: string }[] };
      const productId = products.items[0]!.id;
      const tokens = await shoppers(app.url, SHOPPERS);
      const crowd: Shopper[] = tokens.map((token) => ({ token, told: new Map(), orders: new Set() }));

      let stop = false;
      const running = crowd.map((s) => shop(app.url, s, skus, productId, () => stop));
      await new Promise((r) => setTimeout(r, WARM_S * 1000));
      await stack.outage.kill();
      phase = "outage";
      const downAt = performance.now();
      await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
      phase = "after";
      await stack.outage.start();
      const upAfterMs = performance.now() - downAt;
      await new Promise((r) => setTimeout(r, AFTER_S * 1000));
      stop = true;
      await Promise.all(running);

      // What was lost: each cart against what its shopper was last told, and orders against the 201s.
      let cartMismatches = 0;
      let ordersMissing = 0;
      let ordersUnannounced = 0;
      for (const s of crowd) {
        const cart = (await (await fetch(`${app.url}/api/cart`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as {
          lines: { sku: string; quantity: number }[];
        };
        const now = new Map(cart.lines.map((l) => [l.sku, l.quantity]));
        if (now.size !== s.told.size || [...s.told].some(([sku, q]) => now.get(sku) !== q)) cartMismatches++;
        const ids = new Set<string>();
        for (let cursor: string | null = ""; cursor !== null; ) {
          const page = (await (
            await fetch(`${app.url}/api/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
              headers: { authorization: `Bearer ${s.token}` },
            })
          ).json()) as { items: { id: string }[]; nextCursor: string | null };
          for (const o of page.items) ids.add(o.id);
          cursor = page.nextCursor;
        }
        ordersMissing += [...s.orders].filter((id) => !ids.has(id)).length;
        ordersUnannounced += [...ids].filter((id) => !s.orders.has(id)).length;
      }

      const o = tallies.outage;
      const all = [o.browse, o.cart, o.checkout];
      const total = all.reduce((n, t) => n + t.ok + t.unavailable + Object.values(t.other).reduce((a, b) => a + b, 0), 0);
      const sum = (f: (t: Tally) => number) => all.reduce((n, t) => n + f(t), 0);
      const otherOf = (t: Tally) => Object.values(t.other).reduce((a, b) => a + b, 0);
      const longest = Math.max(...all.map((t) => t.longestMs));
      console.log(`\nduring the outage (${OUTAGE_S}s, Postgres back ${(upAfterMs / 1000).toFixed(1)}s after the kill): ${total} requests`);
      for (const [kind, t] of Object.entries(o)) {
        const n = t.ok + t.unavailable + otherOf(t);
        console.log(
          `  ${kind.padEnd(9)} ${String(n).padStart(6)}  2xx ${share(t.ok, n).padStart(7)}  503+Retry-After ${share(t.unavailable, n).padStart(7)}  other ${share(otherOf(t), n).padStart(7)} ${JSON.stringify(t.other)}  longest ${t.longestMs.toFixed(0)} ms`,
        );
      }
      const browseCart = o.browse.ok + o.cart.ok;
      const browseCartTotal = o.browse.ok + o.browse.unavailable + otherOf(o.browse) + o.cart.ok + o.cart.unavailable + otherOf(o.cart);
      console.log(
        `  all       2xx ${share(
          sum((t) => t.ok),
          total,
        )}  503+Retry-After ${share(
          sum((t) => t.unavailable),
          total,
        )}  other ${share(sum(otherOf), total)}; browse and cart 2xx ${share(browseCart, browseCartTotal)}; stale answers ${staleAnswers}`,
      );
      console.log(
        `  longest answer ${longest.toFixed(0)} ms (hello-world Worker in this run: mean ${helloRun.meanMs} ms; ratio of longest to it x${(longest / helloRun.meanMs).toFixed(0)})`,
      );
      const after = tallies.after;
      console.log(
        `after the restart: browse 2xx ${share(after.browse.ok, after.browse.ok + after.browse.unavailable + otherOf(after.browse))}, cart 2xx ${share(after.cart.ok, after.cart.ok + after.cart.unavailable + otherOf(after.cart))}, checkout 2xx ${share(after.checkout.ok, after.checkout.ok + after.checkout.unavailable + otherOf(after.checkout))}`,
      );
      console.log(
        `lost: carts differing from what their shopper was told ${cartMismatches} of ${crowd.length}; orders answered 201 but missing ${ordersMissing}; orders present without a 201 ${ordersUnannounced}`,
      );
      console.log(
        `\n${JSON.stringify({ outageSeconds: OUTAGE_S, shoppers: SHOPPERS, tallies, staleAnswers, cartMismatches, ordersMissing, ordersUnannounced, hello: helloRun })}`,
      );
    } finally {
      await app.stop();
    }
  } finally {
    await agent.close();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
