import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { z as zod } from "zod";
import { CONSUMER_GROUPS } from "../../queues/routing.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { listContracts } from "../platform/event-contracts.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { listDeadLetters, replayDeadLetter } from "./dead-letters.ts";
import { listEventStats } from "./event-stats.ts";
import { fieldRules } from "./fields.ts";
import { quarantineRoutes } from "./quarantine-routes.ts";

const QueueName = z.enum(CONSUMER_GROUPS.map((g) => g.queue) as [string, ...string[]]);

const DeadLetterSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    messageKey: z.string(),
    eventType: z.string().nullable(),
    body: z.unknown(),
    reason: z.string(),
    status: z.enum(["parked", "replayed"]),
    deadLetteredCount: z.number().int(),
    replayCount: z.number().int(),
    firstDeadAt: z.string(),
    lastDeadAt: z.string(),
    replayedAt: z.string().nullable(),
  })
  .openapi("DeadLetter");

type DeadLetterRow = Awaited<ReturnType<typeof listDeadLetters>>["items"][number];
const toDeadLetter = (r: DeadLetterRow) => ({
  ...r,
  firstDeadAt: r.firstDeadAt.toISOString(),
  lastDeadAt: r.lastDeadAt.toISOString(),
  replayedAt: r.replayedAt?.toISOString() ?? null,
});

const security = [{ bearer: [] }];

const listRoute = createRoute({
  method: "get",
  path: "/dead-letters",
  tags: ["Pipeline"],
  summary: "Messages parked in the dead-letter queues, newest first",
  security,
  request: {
    query: z.object({
      queue: QueueName.optional(),
      status: z.enum(["parked", "replayed"]).optional(),
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(pageOf("DeadLetterPage", DeadLetterSchema), "A page of dead letters"),
    ...pick(401, 403, 422),
  },
});

const replayRoute = createRoute({
  method: "post",
  path: "/dead-letters/{id}/replay",
  tags: ["Pipeline"],
  summary: "Send a parked message back to the queue it failed on",
  security,
  request: { params: z.object({ id: z.string().regex(/^dlq_[0-9A-Z]{26}$/) }) },
  responses: { 200: jsonContent(DeadLetterSchema, "Replayed"), ...pick(401, 403, 404, 409, 422) },
});

const replayAllRoute = createRoute({
  method: "post",
  path: "/dead-letters/replay",
  tags: ["Pipeline"],
  summary: "Replay every parked message of one queue (up to `limit`)",
  security,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({ queue: QueueName, limit: z.number().int().min(1).max(100).default(50) })
            .strict()
            .openapi("DeadLetterReplayRequest"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({ replayed: z.array(z.string()), failed: z.array(z.object({ id: z.string(), error: z.string() })) })
        .openapi("DeadLetterReplayResult"),
      "Replay results",
    ),
    ...pick(401, 403, 422),
  },
});

const StatSchema = z
  .object({
    topic: z.string(),
    type: z.string(),
    received: z.number().int().openapi({ description: "Events handled for the first time: valid plus quarantined" }),
    valid: z.number().int(),
    quarantined: z.number().int(),
    lastOccurredAt: z.string().nullable(),
    lastReceivedAt: z.string().nullable(),
    lastLagMs: z.number().nullable().openapi({ description: "Occurrence to processing of the most recent valid event" }),
    maxLagMs: z.number().nullable(),
    windowReceived: z.number().int().openapi({ description: "Valid events processed within the window" }),
    p95LagMs: z
      .number()
      .nullable()
      .openapi({ description: "95th percentile of the lag within the window (upper bound of its histogram bucket, about 41 % wide)" }),
  })
  .openapi("EventStat");

const statsRoute = createRoute({
  method: "get",
  path: "/stats",
  tags: ["Pipeline"],
  summary: "Events received, valid and quarantined per topic and type, with delivery lag",
  security,
  request: {
    query: z.object({
      windowMinutes: z.coerce
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60)
        .openapi({ description: "Window of the p95 lag, in minutes" }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ windowMinutes: z.number().int(), items: z.array(StatSchema) }).openapi("EventStatList"), "Statistics"),
    ...pick(401, 403, 422),
  },
});

const FieldSchema = z.object({
  path: z.string(),
  type: z.string(),
  pii: z.enum(["hmac", "drop", "keep", "scan"]).openapi({ description: "What PII scrubbing does with the field before analytics" }),
});

const schemasRoute = createRoute({
  method: "get",
  path: "/schemas",
  tags: ["Pipeline"],
  summary: "The event schema registry: types, versions, topics, fields with their PII rule, and payload JSON Schemas",
  security,
  responses: {
    200: jsonContent(
      z
        .object({
          items: z.array(
            z
              .object({
                type: z.string(),
                version: z.number(),
                topic: z.string(),
                description: z.string(),
                fields: z.array(FieldSchema),
                payload: z.unknown(),
              })
              .openapi("EventContract"),
          ),
        })
        .openapi("EventContractList"),
      "Registered event contracts",
    ),
    ...pick(401, 403),
  },
});

export const pipelineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
pipelineRoutes.use("*", requireRole("admin"));
pipelineRoutes
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listDeadLetters(dbOf(c), { queue: q.queue, status: q.status, limit: q.limit, cursor: q.cursor });
    return c.json({ items: page.items.map(toDeadLetter), nextCursor: page.nextCursor }, 200);
  })
  .openapi(replayAllRoute, async (c) => {
    const q = c.req.valid("json");
    const db = dbOf(c);
    const page = await listDeadLetters(db, { queue: q.queue, status: "parked", limit: q.limit });
    const replayed: string[] = [];
    const failed: { id: string; error: string }[] = [];
    for (const item of page.items) {
      try {
        await replayDeadLetter(db, c.env, item.id);
        replayed.push(item.id);
      } catch (err) {
        failed.push({ id: item.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return c.json({ replayed, failed }, 200);
  })
  .openapi(replayRoute, async (c) => {
    const row = await replayDeadLetter(dbOf(c), c.env, c.req.valid("param").id);
    return c.json(toDeadLetter(row), 200);
  })
  .openapi(statsRoute, async (c) => {
    const { windowMinutes } = c.req.valid("query");
    return c.json({ windowMinutes, items: await listEventStats(dbOf(c), windowMinutes) }, 200);
  })
  .openapi(schemasRoute, (c) => {
    const items = listContracts().map((k) => ({
      type: k.type,
      version: k.version,
      topic: k.topic,
      description: k.description,
      fields: fieldRules(k),
      payload: zod.toJSONSchema(k.payload),
    }));
    return c.json({ items }, 200);
  });

pipelineRoutes.route("/quarantine", quarantineRoutes);
