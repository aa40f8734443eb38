import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { auditCheckpoints } from "../../db/schema/audit.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { isoUtc } from "./chain.ts";
import { auditConfig } from "./config.ts";
import { type AuditEntry, attemptOutcomes, entityTimeline, type Page, searchEntries } from "./queries.ts";
import type { AttemptOutcome } from "./staff-action-rules.ts";
import { verifyChain } from "./verify.ts";

const EntrySchema = z
  .object({
    seq: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    version: z.number().int(),
    topic: z.string(),
    source: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    actorType: z.string().nullable(),
    actorId: z.string().nullable(),
    correlationId: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    payload: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
    outcome: z
      .object({ result: z.enum(["succeeded", "failed", "unknown"]), status: z.number().int().nullable() })
      .optional()
      .openapi({
        description:
          "Only on a StaffActionAttempted entry: what became of the write, from its StaffActionTaken (succeeded) or StaffActionFailed (failed) entry and its status; `unknown` while no outcome is recorded (the request died, or its outcome could not be written).",
      }),
  })
  .openapi("AuditEntry");
const PageSchema = pageOf("AuditEntryPage", EntrySchema);
const toEntry = (e: AuditEntry, outcome?: AttemptOutcome) => ({
  ...e,
  occurredAt: isoUtc(e.occurredAt),
  recordedAt: isoUtc(e.recordedAt),
  ...(outcome ? { outcome } : {}),
});

/** A page's entries as the API answers them, each staff attempt with its outcome. */
async function answerPage(db: Database, page: Page) {
  const outcomes = await attemptOutcomes(db, page.items);
  return { items: page.items.map((e) => toEntry(e, outcomes.get(e.eventId))), nextCursor: page.nextCursor };
}
const Timestamp = z.iso.datetime({ offset: true }).optional();
const security = [{ bearer: [] }];

const timelineRoute = createRoute({
  method: "get",
  path: "/entities/{type}/{id}",
  tags: ["Audit"],
  summary: "Everything that happened to one entity, oldest first",
  security,
  request: {
    params: z.object({ type: z.string().regex(/^[a-z]{2,32}$/), id: z.string().min(1).max(128) }),
    query: z.object({ limit: LimitQuery, cursor: cursorParam }),
  },
  responses: { 200: jsonContent(PageSchema, "A page of the timeline"), ...pick(401, 403, 422) },
});

const searchRoute = createRoute({
  method: "get",
  path: "/entries",
  tags: ["Audit"],
  summary: "Search the audit trail by actor, event type and time range, newest first",
  security,
  request: {
    query: z.object({
      actorId: z.string().max(128).optional(),
      type: z.string().max(64).optional(),
      from: Timestamp,
      to: Timestamp,
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: { 200: jsonContent(PageSchema, "A page of entries"), ...pick(401, 403, 422) },
});

const verifyRoute = createRoute({
  method: "post",
  path: "/verify",
  tags: ["Audit"],
  summary: "Recompute the hash chain over a range and report the first broken link",
  security,
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({ fromSeq: z.number().int().positive().optional(), toSeq: z.number().int().positive().optional() })
            .strict()
            .openapi("AuditVerifyRequest"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(
      z
        .object({
          ok: z.boolean(),
          checked: z.number().int(),
          fromSeq: z.number().int().nullable(),
          toSeq: z.number().int().nullable(),
          headHash: z.string().nullable(),
          anchor: z.object({ kind: z.enum(["genesis", "checkpoint"]), seq: z.number().int().nullable(), hash: z.string() }),
          firstBroken: z
            .object({
              seq: z.number().int(),
              eventId: z.string(),
              reason: z.enum(["content-changed", "link-broken"]),
              expected: z.string(),
              found: z.string(),
            })
            .nullable(),
        })
        .openapi("AuditVerification"),
      "The verification result",
    ),
    ...pick(401, 403, 422),
  },
});

const checkpointsRoute = createRoute({
  method: "get",
  path: "/checkpoints",
  tags: ["Audit"],
  summary: "Signed checkpoints of the chain head, newest first",
  security,
  request: { query: z.object({ limit: LimitQuery }) },
  responses: {
    200: jsonContent(
      z
        .object({
          items: z.array(
            z
              .object({
                id: z.string(),
                seq: z.number(),
                hash: z.string(),
                entriesVerified: z.number(),
                createdAt: z.string(),
                signature: z.string(),
              })
              .openapi("AuditCheckpoint"),
          ),
        })
        .openapi("AuditCheckpointList"),
      "Checkpoints",
    ),
    ...pick(401, 403),
  },
});

export const auditRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
auditRoutes.use("*", requireRole("admin", "support"));
auditRoutes
  .openapi(timelineRoute, async (c) => {
    const { type, id } = c.req.valid("param");
    const q = c.req.valid("query");
    const page = await entityTimeline(dbOf(c), type, id, q.limit, q.cursor);
    return c.json(await answerPage(dbOf(c), page), 200);
  })
  .openapi(searchRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await searchEntries(dbOf(c), {
      actorId: q.actorId,
      type: q.type,
      from: q.from,
      to: q.to,
      limit: q.limit,
      cursor: q.cursor,
    });
    return c.json(await answerPage(dbOf(c), page), 200);
  })
  .openapi(verifyRoute, async (c) => {
    const key = auditConfig.read(c.env).AUDIT_CHECKPOINT_KEY;
    if (!key) throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "AUDIT_CHECKPOINT_KEY is not configured");
    const range = (c.req.valid("json") as { fromSeq?: number; toSeq?: number } | undefined) ?? {};
    return c.json(await verifyChain(dbOf(c), key, range), 200);
  })
  .openapi(checkpointsRoute, async (c) => {
    const rows = await dbOf(c).select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(c.req.valid("query").limit);
    return c.json({ items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }, 200);
  });
