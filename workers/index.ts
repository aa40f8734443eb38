/**
 * The Worker: HTTP through the gateway, queue batches to the consumers,
 * cron triggers to the scheduler; it also exports the Durable Object classes.
 */
import { handleQueue } from "../queues/index.ts";
import { createApp } from "./gateway/app.ts";
import type { Env } from "./kernel/env.ts";
import { handleScheduled } from "./scheduler/scheduled.ts";
import "../queues/contracts/index.ts";

export * from "../durable-objects/index.ts";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, _ctx) => handleQueue(batch, env),
  scheduled: (controller, env, ctx) => handleScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env>;
