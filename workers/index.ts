/**
 * The Worker: HTTP through the gateway, queue batches to the consumers,
 * cron triggers to the scheduler; it also exports the Durable Object classes.
 */
import { handleQueue } from "../queues/index.ts";
import { createApp } from "./platform/app.ts";
import { readConfig, type Env } from "./platform/env.ts";
import { setLogLevel } from "./platform/log.ts";
import { handleScheduled } from "./scheduler/scheduled.ts";
import "../queues/contracts/index.ts";

export * from "../durable-objects/index.ts";

const app = createApp();

/** Applies the settings every entry point shares; readConfig caches per env object. */
function configure(env: Env): void {
  try {
    setLogLevel(readConfig(env).LOG_LEVEL);
  } catch {
    // A broken configuration is reported as a problem by the handler that needs it.
  }
}

export default {
  fetch(request, env, ctx) {
    configure(env);
    return app.fetch(request, env, ctx);
  },
  queue(batch, env, _ctx) {
    configure(env);
    return handleQueue(batch, env);
  },
  scheduled(controller, env, ctx) {
    configure(env);
    return handleScheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;
