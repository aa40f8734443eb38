/**
 * The Cloudflare Worker: builds the Runtime (the ports) from the env of each
 * call and hands HTTP to the gateway, queue batches to the consumer groups and
 * cron triggers to the scheduler; it also exports the Durable Object classes.
 */
import { createQueueHandler } from "../queues/index.ts";
import { relayAfterCommit } from "../queues/outbox/relay.ts";
import * as cart from "./cart/index.ts";
import { FAMILIES } from "./families.ts";
import * as identity from "./identity/index.ts";
import * as inventory from "./inventory/index.ts";
import * as monitoring from "./monitoring/index.ts";
import * as orders from "./orders/index.ts";
import { deadLetterSink } from "./pipeline/index.ts";
import { createApp } from "./platform/app.ts";
import { observedObject } from "./platform/cloudflare/observed-object.ts";
import { type CloudflareEnv, cloudflareRuntime } from "./platform/cloudflare/runtime.ts";
import { platformConfig } from "./platform/config.ts";
import { jobRegistry } from "./platform/job.ts";
import { configureLogs, logSettingsFrom } from "./platform/log.ts";
import type { Runtime } from "./platform/runtime.ts";
import * as scheduler from "./scheduler/index.ts";
import { handleScheduled } from "./scheduler/index.ts";

// The Durable Object classes, each observed: storage writes and alarm lag per class (docs/operability.md).
export const Cart = observedObject("Cart", cart.Cart);
export const LoginThrottle = observedObject("LoginThrottle", identity.LoginThrottle);
export const Inventory = observedObject("Inventory", inventory.Inventory);
export const Reservation = observedObject("Reservation", inventory.Reservation);
export const CircuitBreaker = observedObject("CircuitBreaker", monitoring.CircuitBreaker);
export const OutageWatch = observedObject("OutageWatch", monitoring.OutageWatch);
export const RateLimiter = observedObject("RateLimiter", monitoring.RateLimiter);
export const OrderSaga = observedObject("OrderSaga", orders.OrderSaga);
export const JobLease = observedObject("JobLease", scheduler.JobLease);

const jobs = jobRegistry(FAMILIES.flatMap((f) => f.jobs ?? []));
const app = createApp({ families: FAMILIES, relay: relayAfterCommit, jobs });
const handleQueue = createQueueHandler(FAMILIES, deadLetterSink);

/** The runtime of this call, with the settings every entry point shares applied. */
function runtimeOf(env: CloudflareEnv, ctx: ExecutionContext): Runtime {
  const rt = cloudflareRuntime(env, (p) => ctx.waitUntil(p));
  try {
    configureLogs(logSettingsFrom(platformConfig.read(rt)));
  } catch {
    // A broken configuration is reported as a problem by the handler that needs it.
  }
  return rt;
}

export default {
  fetch(request, env, ctx) {
    return app.fetch(request, runtimeOf(env, ctx), ctx);
  },
  // Consumers and jobs count toward the SLOs too: their isolate flushes its counts when due, as after a request.
  async queue(batch, env, ctx) {
    const rt = runtimeOf(env, ctx);
    await handleQueue(batch, rt);
    monitoring.flushSloCountsSoon(rt);
  },
  async scheduled(controller, env, ctx) {
    const rt = runtimeOf(env, ctx);
    await handleScheduled(controller.cron, rt, jobs);
    monitoring.flushSloCountsSoon(rt);
  },
} satisfies ExportedHandler<CloudflareEnv>;
