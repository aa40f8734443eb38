/**
 * The test Worker's runtime and bindings, and direct database access through
 * the same driver the Worker uses. Domain code takes `testEnv` (a Runtime,
 * the ports); tests that drive an object or a queue by hand use
 * `testBindings`, the raw Cloudflare bindings of wrangler.toml.
 */
import { env } from "cloudflare:workers";
import type { Cart } from "../../durable-objects/cart/cart.ts";
import type { CircuitBreaker } from "../../durable-objects/circuit-breaker/circuit-breaker.ts";
import type { Inventory } from "../../durable-objects/inventory/inventory.ts";
import type { Reservation } from "../../durable-objects/inventory/reservation.ts";
import type { JobLease } from "../../durable-objects/job-lease/job-lease.ts";
import type { LoginThrottle } from "../../durable-objects/login-throttle/login-throttle.ts";
import type { OrderSaga } from "../../durable-objects/order/order-saga.ts";
import type { OutageWatch } from "../../durable-objects/outage-watch/outage-watch.ts";
import type { RateLimiter } from "../../durable-objects/rate-limiter/rate-limiter.ts";
import { type CloudflareEnv, cloudflareObjects, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import { type Database, openDb } from "../../workers/platform/db.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";

export interface TestBindings {
  JOB_LEASE: DurableObjectNamespace<JobLease>;
  INVENTORY: DurableObjectNamespace<Inventory>;
  RESERVATION: DurableObjectNamespace<Reservation>;
  LOGIN_THROTTLE: DurableObjectNamespace<LoginThrottle>;
  CART: DurableObjectNamespace<Cart>;
  ORDER_SAGA: DurableObjectNamespace<OrderSaga>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  OUTAGE_WATCH: DurableObjectNamespace<OutageWatch>;
  CIRCUIT_BREAKER: DurableObjectNamespace<CircuitBreaker>;
  Q_NOTIFICATIONS: Queue;
  Q_AUDIT: Queue;
  Q_PIPELINE: Queue;
  Q_SEARCH: Queue;
  Q_INVENTORY_PROJECTION: Queue;
  Q_FULFILMENT: Queue;
  BACKUPS: R2Bucket;
  MEDIA: R2Bucket;
  REPORTS: R2Bucket;
  [name: string]: unknown;
}

export const testBindings = env as unknown as TestBindings;
/**
 * The runtime domain code gets in tests: the Cloudflare adapter over the test
 * Worker's bindings, handing out the runtime's own object stubs (uncounted),
 * since `runInDurableObject` and `runDurableObjectAlarm` accept no other.
 */
export const testEnv: Runtime = {
  ...cloudflareRuntime(env as unknown as CloudflareEnv),
  objects: cloudflareObjects(env as unknown as CloudflareEnv),
};

export async function withTestDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDb(testEnv);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}
