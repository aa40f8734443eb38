import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { jsonContent } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { checkBackups, checkDurableObjects, checkPostgres, checkQueues } from "./checks.ts";

const CheckSchema = z
  .object({ status: z.enum(["ok", "degraded", "down"]), latencyMs: z.number(), detail: z.string().optional() })
  .passthrough();
const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    time: z.string(),
    checks: z.object({ postgres: CheckSchema, durableObjects: CheckSchema, queues: CheckSchema, backups: CheckSchema }),
  })
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/",
  tags: ["Operations"],
  summary: "Reachability of Postgres, Durable Objects and the queue path, and the newest restore drill",
  responses: { 200: jsonContent(HealthSchema, "Everything answers"), 503: jsonContent(HealthSchema, "A dependency is down") },
});

const live = createRoute({
  method: "get",
  path: "/live",
  tags: ["Operations"],
  summary: "Liveness: the Worker answers, without touching dependencies",
  responses: { 200: jsonContent(z.object({ status: z.literal("ok") }), "Alive") },
});

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(health, async (c) => {
    const db = dbOf(c);
    // The Postgres probes run one after the other on one connection; the Durable Object probe alongside.
    const postgresThenQueues = checkPostgres(db).then(
      async (postgres) => [postgres, await checkQueues(c.env, db), await checkBackups(db)] as const,
    );
    const [[postgres, queues, backups], durableObjects] = await Promise.all([postgresThenQueues, checkDurableObjects(c.env)]);
    const all = [postgres, durableObjects, queues, backups];
    const status = all.some((x) => x.status === "down") ? "down" : all.some((x) => x.status === "degraded") ? "degraded" : "ok";
    c.header("cache-control", "no-store");
    return c.json(
      { status, time: c.env.clock.now().toISOString(), checks: { postgres, durableObjects, queues, backups } },
      status === "down" ? 503 : 200,
    );
  })
  .openapi(live, (c) => c.json({ status: "ok" as const }, 200));
