/**
 * The Deno entry (`deno serve workers/deno.ts`): the same families, gateway,
 * consumer groups and job registry as the Cloudflare Worker, on the Deno
 * adapter of the ports: per-key objects and queues on Deno KV, cron on
 * Deno.cron, blobs on the filesystem (docs/deno.md).
 */
import { createQueueHandler } from "../queues/index.ts";
import { relayAfterCommit } from "../queues/outbox/relay.ts";
import { CONSUMER_GROUPS } from "../queues/routing.ts";
import { Cart } from "./cart/index.ts";
import { FAMILIES } from "./families.ts";
import { LoginThrottle } from "./identity/index.ts";
import { Inventory, Reservation } from "./inventory/index.ts";
import { CircuitBreaker, OutageWatch, RateLimiter } from "./monitoring/index.ts";
import { OrderSaga } from "./orders/index.ts";
import { deadLetterSink } from "./pipeline/index.ts";
import { createApp } from "./platform/app.ts";
import { platformConfig } from "./platform/config.ts";
import { deno, nodeModules } from "./platform/deno/deno-api.ts";
import { KvObjects } from "./platform/deno/kv-objects.ts";
import { KvQueues, type QueueBinding } from "./platform/deno/kv-queues.ts";
import { LiveFeeds } from "./platform/deno/live-feeds.ts";
import { LiveSockets } from "./platform/deno/live-sockets.ts";
import { denoRuntime } from "./platform/deno/runtime.ts";
import { workerStyleEnv } from "./platform/deno/worker-style-env.ts";
import { jobRegistry } from "./platform/job.ts";
import { configureLogs, errorFields, log, logSettingsFrom } from "./platform/log.ts";
import { handleScheduled, JobLease } from "./scheduler/index.ts";

const api = deno();
const vars: Record<string, unknown> = api.env.toObject();
const kv = await api.openKv(typeof vars.DENO_KV_PATH === "string" ? vars.DENO_KV_PATH : undefined);

/** Every consumer group's queue and dead-letter queue, by binding, with wrangler.toml's delivery settings. */
const bindings: Record<string, QueueBinding> = Object.fromEntries(
  CONSUMER_GROUPS.flatMap((g) => [
    [g.producer, { queue: g.queue, maxBatchSize: 25, maxRetries: 8, deadLetterBinding: g.deadLetterProducer }],
    [g.deadLetterProducer, { queue: g.deadLetterQueue, maxBatchSize: 25, maxRetries: 8 }],
  ]),
);

const jobs = jobRegistry(FAMILIES.flatMap((f) => f.jobs ?? []));
const app = createApp({ families: FAMILIES, relay: relayAfterCommit, jobs });
const handleQueue = createQueueHandler(FAMILIES, deadLetterSink);

/** Every object class, by its binding name in wrangler.toml. */
const objectClasses = {
  INVENTORY: Inventory,
  RESERVATION: Reservation,
  CART: Cart,
  ORDER_SAGA: OrderSaga,
  JOB_LEASE: JobLease,
  LOGIN_THROTTLE: LoginThrottle,
  RATE_LIMITER: RateLimiter,
  OUTAGE_WATCH: OutageWatch,
  CIRCUIT_BREAKER: CircuitBreaker,
};
/** Live sockets one process holds at most (LIVE_SOCKETS_MAX overrides), and how often it polls a local KV file for their changes. */
const LIVE_SOCKETS_MAX = 1000;
const LIVE_POLL_MS = 1000;
/** wrangler.toml's R2 buckets; here folders under BLOBS_DIR. */
const BUCKETS = ["BACKUPS", "MEDIA", "REPORTS"];

// The objects' env is filled in once the runtime exists: the objects reach each other through it.
const objectEnv: Record<string, unknown> = {};
const objects = new KvObjects(kv, objectClasses, objectEnv, await nodeModules());
const queues = new KvQueues(kv, bindings, (batch) => handleQueue(batch, rt));
// Live views: a local KV file does not signal other processes' writes to this process's watches, so feeds also poll it.
const feeds = new LiveFeeds(kv, { pollMs: typeof vars.DENO_KV_PATH === "string" ? LIVE_POLL_MS : null });
const live = new LiveSockets(objects, feeds, {
  maxSockets: Number(vars.LIVE_SOCKETS_MAX) > 0 ? Number(vars.LIVE_SOCKETS_MAX) : LIVE_SOCKETS_MAX,
  upgrade: (request) => api.upgradeWebSocket(request),
});
objects.live = live;
const rt = denoRuntime({
  vars,
  objects: objects.port,
  queues: queues.port,
  blobsDir: typeof vars.BLOBS_DIR === "string" ? vars.BLOBS_DIR : ".data/blobs",
});
Object.assign(
  objectEnv,
  workerStyleEnv(vars, rt, { namespaces: Object.keys(objectClasses), queues: Object.keys(bindings), buckets: BUCKETS }),
);
try {
  configureLogs(logSettingsFrom(platformConfig.read(rt)));
} catch {
  // A broken configuration is reported as a problem by the handler that needs it.
}

kv.listenQueue(async (message) => {
  const handled = queues.receive(message) ?? objects.receive(message);
  if (handled) await handled;
  else log.error("kv_queue.unknown_message", {});
});

for (const cron of new Set(jobs.all.flatMap((job) => job.crons))) {
  // Cron names allow letters, digits, spaces, hyphens and underscores only.
  api.cron(`jobs ${cron.replaceAll("*", "any").replace(/[^\w\s-]/g, "_")}`, cron, () =>
    handleScheduled(cron, rt, jobs).catch((err) => log.error("cron.failed", { cron, ...errorFields(err) })),
  );
}

// The KV queue listener and the cron schedules would keep the process alive after the server stops: end them too.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  api.addSignalListener(signal, () => {
    kv.close();
    api.exit(0);
  });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const ctx = { waitUntil: (p: Promise<unknown>) => rt.waitUntil(p), passThroughOnException() {}, props: {} };
    // A live view's upgrade is prepared by the route and made here, on the request Deno can upgrade.
    return live.accept(request, await app.fetch(request, rt, ctx as unknown as ExecutionContext));
  },
};
