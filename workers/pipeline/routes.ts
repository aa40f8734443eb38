import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { z as zod } from "zod";
import { listContracts } from "../../queues/contracts/registry.ts";
import { CONSUMER_GROUPS } from "../../queues/routing.ts";
import { requireRole } from "../kernel/auth.ts";
import { dbOf, type AppEnv } from "../kernel/context.ts";
import { jsonContent, LimitQuery, pick } from "../kernel/http-schemas.ts";
import { validationHook } from "../gateway/errors.ts";
import { listDeadLetters, replayDeadLetter } from "./dead-letters.ts";
import { listEventStats } from "./event-stats.ts";

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
      cursor: z.string().optional().openapi({ description: "nextCursor of the previous page" }),
    }),
  },
  responses: { 200: jsonContent(z.object({ items: z.array(DeadLetterSchema), nextCursor: z.string().nullable() }), "A page of dead letters"), ...pick(401, 403, 422) },
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
  request: { body: { required: true, content: { "application/json": { schema: z.object({ queue: QueueName, limit: z.number().int().min(1).max(100).default(50) }).strict() } } } },
  responses: { 200: jsonContent(z.object({ replayed: z.array(z.string()), failed: z.array(z.object({ id: z.string(), error: z.string() })) }), "Replay results"), ...pick(401, 403, 422) },
});

const statsRoute = createRoute({
  method: "get",
  path: "/stats",
  tags: ["Pipeline"],
  summary: "Events received per topic and type, with delivery lag",
  security,
  responses: {
    200: jsonContent(
      z.object({ items: z.array(z.object({ topic: z.string(), type: z.string(), received: z.number(), lastOccurredAt: z.string().nullable(), lastReceivedAt: z.string().nullable(), lastLagMs: z.number().nullable(), maxLagMs: z.number().nullable() })) }),
      "Statistics",
    ),
    ...pick(401, 403),
  },
});

const schemasRoute = createRoute({
  method: "get",
  path: "/schemas",
  tags: ["Pipeline"],
  summary: "The event schema registry: types, versions, topics and payload JSON Schemas",
  security,
  responses: { 200: jsonContent(z.object({ items: z.array(z.object({ type: z.string(), version: z.number(), topic: z.string(), description: z.string(), payload: z.unknown() })) }), "Registered event contracts"), ...pick(401, 403) },
});

export const pipelineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
pipelineRoutes.use("*", requireRole("admin"));
pipelineRoutes
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listDeadLetters(dbOf(c), { queue: q.queue, status: q.status, limit: q.limit, before: q.cursor });
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
    const rows = await listEventStats(dbOf(c));
    const items = rows.map((r) => ({ ...r, lastOccurredAt: r.lastOccurredAt?.toISOString() ?? null, lastReceivedAt: r.lastReceivedAt?.toISOString() ?? null }));
    return c.json({ items }, 200);
  })
  .openapi(schemasRoute, (c) => {
    const items = listContracts().map((k) => ({ type: k.type, version: k.version, topic: k.topic, description: k.description, payload: zod.toJSONSchema(k.payload) }));
    return c.json({ items }, 200);
  });
