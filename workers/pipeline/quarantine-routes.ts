/** /api/pipeline/quarantine: events that failed validation, and their replay after a schema fix (admin). */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError } from "../platform/errors.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { PipelineErrors } from "./errors.ts";
import { listQuarantine, type QuarantineRow, replayQuarantine, replayQuarantined } from "./quarantine.ts";

const security = [{ bearer: [] }];
const tags = ["Pipeline"];
const EventType = z.string().regex(/^[A-Za-z]{1,100}$/);

const QuarantinedSchema = z
  .object({
    id: z.string(),
    eventKey: z.string().openapi({ description: "The event id, or the queue message id when the body is not an event" }),
    topic: z.string(),
    type: z.string(),
    version: z.number().int().nullable(),
    body: z.unknown(),
    reason: z.string(),
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
    origin: z.enum(["consumer", "dead-letter"]),
    status: z.enum(["quarantined", "replayed"]),
    seenCount: z.number().int(),
    attempts: z.number().int(),
    receivedAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    replayedAt: z.string().nullable(),
  })
  .openapi("QuarantinedEvent");

const view = (r: QuarantineRow) => ({
  ...r,
  issues: r.issues as { path: string; code: string; message: string }[],
  receivedAt: r.receivedAt.toISOString(),
  lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
  replayedAt: r.replayedAt?.toISOString() ?? null,
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Quarantined events, newest first",
  security,
  request: {
    query: z.object({
      status: z.enum(["quarantined", "replayed"]).optional(),
      type: EventType.optional(),
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(pageOf("QuarantinedEventPage", QuarantinedSchema), "A page of quarantined events"),
    ...pick(401, 403, 422),
  },
});

const replayRoute = createRoute({
  method: "post",
  path: "/{id}/replay",
  tags,
  summary: "Validate a quarantined event again and, if it now passes, send it back to the pipeline",
  description: "409 `EVENT_STILL_INVALID` (with the new reason) when it still fails: it stays quarantined with one more attempt.",
  security,
  request: { params: z.object({ id: z.string().regex(/^qtn_[0-9A-Z]{26}$/) }) },
  responses: { 200: jsonContent(QuarantinedSchema, "Replayed"), ...pick(401, 403, 404, 409, 422) },
});

const replayAllRoute = createRoute({
  method: "post",
  path: "/replay",
  tags,
  summary: "Replay the quarantined events (of one type), oldest first, up to `limit`: each is validated again",
  security,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({ type: EventType.optional(), limit: z.number().int().min(1).max(500).default(100) })
            .strict()
            .openapi("QuarantineReplayRequest"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({
          replayed: z.array(z.string()),
          stillInvalid: z.array(z.object({ id: z.string(), reason: z.string() })),
          failed: z.array(z.object({ id: z.string(), error: z.string() })),
        })
        .openapi("QuarantineReplayResult"),
      "Replay results",
    ),
    ...pick(401, 403, 422),
  },
});

export const quarantineRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
quarantineRoutes.use("*", requireRole("admin"));
quarantineRoutes
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listQuarantine(dbOf(c), { status: q.status, type: q.type, limit: q.limit, cursor: q.cursor });
    return c.json({ items: page.items.map(view), nextCursor: page.nextCursor }, 200);
  })
  .openapi(replayAllRoute, async (c) => c.json(await replayQuarantine(dbOf(c), c.env, c.req.valid("json")), 200))
  .openapi(replayRoute, async (c) => {
    const result = await replayQuarantined(dbOf(c), c.env, c.req.valid("param").id);
    if (result.outcome === "still-invalid") {
      throw new ApiError(PipelineErrors.EVENT_STILL_INVALID, `The event still fails validation: ${result.row.reason}`, {
        attempts: result.row.attempts,
        issues: result.row.issues,
      });
    }
    return c.json(view(result.row), 200);
  });
