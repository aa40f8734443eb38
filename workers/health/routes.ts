import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { reportDatabaseUnavailable } from "../monitoring/index.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { jsonContent } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { checkBackups, checkCircuits, checkDurableObjects, checkPostgres, checkQueues, checkSlos, overallHealth } from "./checks.ts";

const CheckSchema = z
  .object({ status: z.enum(["ok", "degraded", "down"]), latencyMs: z.number(), detail: z.string().optional() })
  .passthrough();
const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    time: z.string(),
    checks: z.object({
      postgres: CheckSchema,
      durableObjects: CheckSchema,
      queues: CheckSchema,
      backups: CheckSchema,
      circuits: CheckSchema.openapi({ description: "Each provider's circuit (closed, half_open, open); degraded while one is not closed" }),
      slos: CheckSchema.openapi({
        description: "The SLOs of the queue path (consumer lag, dead-lettered messages) breached now; degraded while one is",
      }),
    }),
    mode: z.enum(["normal", "degraded", "closed"]).openapi({
      description:
        "normal; degraded: Postgres is down and the shop serves stale catalogue copies and carts, refusing the rest with 503 (docs/degraded-mode.md); closed: the objects are down too",
    }),
  })
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/",
  tags: ["Operations"],
  summary: "Reachability of Postgres, Durable Objects and the queue path, and the newest restore drill",
  description:
    "200 `ok`; 200 `degraded` when Postgres is down but the objects answer (the shop stays open in degraded mode, a queue backlog is growing, or the newest restore drill failed, or a provider's circuit is open or probing: `checks.circuits`, or consumer lag is over budget or a dead-letter queue is growing: `checks.slos`); 503 `down` when the Durable Objects do not answer.",
  responses: {
    200: jsonContent(HealthSchema, "The shop is open (status ok, or degraded)"),
    503: jsonContent(HealthSchema, "The shop cannot serve: the objects are down"),
  },
});

const live = createRoute({
  method: "get",
  path: "/live",
  tags: ["Operations"],
  summary: "Liveness: the Worker answers, without touching dependencies",
  responses: { 200: jsonContent(z.object({ status: z.literal("ok") }).openapi("Alive"), "Alive") },
});

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(health, async (c) => {
    const db = dbOf(c);
    // Over HTTP the Postgres probes need no shared session: all four run at once.
    const [postgres, queues, backups, durableObjects, circuits, slos] = await Promise.all([
      checkPostgres(db),
      checkQueues(c.env, db),
      checkBackups(db),
      checkDurableObjects(c.env),
      checkCircuits(c.env),
      checkSlos(db),
    ]);
    const { status, mode } = overallHealth(postgres, durableObjects, queues, backups, circuits, slos);
    // A monitor polling health sees an outage even when no shopper does: the watch raises its one alert.
    if (postgres.status === "down") reportDatabaseUnavailable(c.env, `health probe: ${postgres.detail ?? "no answer"}`);
    c.header("cache-control", "no-store");
    return c.json(
      { status, mode, time: c.env.clock.now().toISOString(), checks: { postgres, durableObjects, queues, backups, circuits, slos } },
      status === "down" ? 503 : 200,
    );
  })
  .openapi(live, (c) => c.json({ status: "ok" as const }, 200));
