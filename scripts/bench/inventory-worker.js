// The Worker of `scripts/bench/inventory.ts`: the real app and Durable Objects,
// plus the measuring points the benchmark needs and production must not have:
// - GET /api/bench/noop-do: one no-op call to a Durable Object, through the whole gateway (the HTTP baseline);
// - GET /api/bench/hold?sku=…: one hold taken straight on the SKU's object (as the cart does), through the gateway;
// - GET /bench/rpc?op=noop|write|reserve|reserve-release&sku=…&n=…&c=…: n calls to one object from
//   inside the runtime, c at a time; `write` is one SQLite insert in an object of its own (the floor of
//   any durable write in this runtime).
import { DurableObject } from "cloudflare:workers";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import { FAMILIES } from "../../workers/families.ts";
import worker from "../../workers/index.ts";
import { createApp } from "../../workers/platform/app.ts";
import { cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import { jobRegistry } from "../../workers/platform/job.ts";

export {
  Cart,
  CircuitBreaker,
  Inventory,
  JobLease,
  LoginThrottle,
  OrderSaga,
  OutageWatch,
  RateLimiter,
  Reservation,
} from "../../workers/index.ts";

export class BenchWrite extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS w (id INTEGER PRIMARY KEY, v TEXT)");
  }
  write(i) {
    this.ctx.storage.sql.exec("INSERT INTO w (v) VALUES (?)", String(i));
    return 1;
  }
}

const app = createApp({ families: FAMILIES, relay: relayAfterCommit, jobs: jobRegistry(FAMILIES.flatMap((f) => f.jobs ?? [])) });
app.get("/api/bench/noop-do", async (c) => {
  await c.env.objects.get("INVENTORY", "bench-noop").ping();
  return c.json({ ok: true });
});
app.get("/api/bench/hold", async (c) => {
  const sku = c.req.query("sku");
  // A hold taken straight on the SKU's object, as the cart does.
  const result = await c.env.objects.get("INVENTORY", sku).reserve({
    sku,
    reservationId: crypto.randomUUID(),
    quantity: 1,
    ttlMs: 600_000,
    actor: { type: "service", id: "bench" },
  });
  return c.json(result, result.ok ? 201 : 409);
});

async function rpcLoop(env, url) {
  const op = url.searchParams.get("op");
  const sku = url.searchParams.get("sku") ?? "bench-noop";
  const n = Number(url.searchParams.get("n") ?? 10000);
  const c = Number(url.searchParams.get("c") ?? 32);
  const stub = env.INVENTORY.get(env.INVENTORY.idFromName(sku));
  const writer = env.BENCH_WRITE.get(env.BENCH_WRITE.idFromName(sku));
  const actor = { type: "service", id: "bench" };
  const prefix = crypto.randomUUID();
  let next = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) {
        const i = next++;
        if (op === "noop") await stub.ping();
        else if (op === "write") await writer.write(i);
        else {
          const r = await stub.reserve({ sku, reservationId: `${prefix}-${i}`, quantity: 1, ttlMs: 600_000, actor });
          if (!r.ok) refused++;
          if (op === "reserve-release") await stub.release({ sku, reservationId: `${prefix}-${i}`, actor });
        }
      }
    }),
  );
  const ms = performance.now() - started;
  return Response.json({ op, n, c, ms, perSecond: Math.round((n / ms) * 1000), refused });
}

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/bench/rpc") return rpcLoop(env, url);
    if (url.pathname.startsWith("/api/bench/"))
      return app.fetch(
        request,
        cloudflareRuntime(env, (p) => ctx.waitUntil(p)),
        ctx,
      );
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
  scheduled: worker.scheduled,
};
