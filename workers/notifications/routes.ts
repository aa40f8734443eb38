/**
 * The notifications route family at /api/notifications: a caller's own
 * messages, admin sends and templates, the development outbox of the capture
 * provider, and (mounted from their own files) push subscriptions and the
 * providers' webhooks.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES } from "../../db/schema/notifications.ts";
import { requireRole } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { assertOwnerOrRole } from "../platform/guards.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { adminSend, sendIdFor, templateDataJsonSchema } from "./admin-send.ts";
import { type DeliveryRow, findDelivery, listAttempts, listDeliveries } from "./deliveries.ts";
import { listCaptured } from "./providers/capture.ts";
import { pushRoutes } from "./push-routes.ts";
import { CapturedSchema, Channel, DeliveryId, DeliverySchema, SendBody, SendResultSchema, TemplateInfoSchema } from "./schemas.ts";
import { TEMPLATE_IDS, templateDef } from "./templates/catalog.ts";
import { LOCALES } from "./templates/render.ts";
import { webhookRoutes } from "./webhook-routes.ts";

const security = [{ bearer: [] }];
const tags = ["Notifications"];
const STAFF = { roles: ["admin", "support"] as ("admin" | "support")[], what: "notification" };

const toDelivery = (r: DeliveryRow) => ({
  id: r.id,
  channel: r.channel,
  template: r.template,
  category: r.category,
  sourceType: r.sourceType,
  sourceId: r.sourceId,
  status: r.status,
  skipReason: r.skipReason,
  subject: r.subject,
  recipient: r.recipientMasked,
  locale: r.locale,
  attempts: r.attempts,
  provider: r.provider,
  providerMessageId: r.providerMessageId,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  sentAt: r.sentAt?.toISOString() ?? null,
  updatedAt: r.updatedAt.toISOString(),
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "The caller's own messages, newest first (support and admin may name another user)",
  security,
  request: {
    query: z.object({
      userId: z.string().optional().openapi({ description: "Another user's messages (support and admin)" }),
      channel: Channel.optional(),
      status: z.enum(DELIVERY_STATUSES).optional().openapi({ description: "Skipped messages are listed only when asked for" }),
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(pageOf("NotificationPage", DeliverySchema), "A page of messages"),
    ...pick(401, 404, 422),
  },
});

const AttemptSchema = z.object({
  attempt: z.number().int(),
  provider: z.string(),
  outcome: z.enum(["sent", "failed"]),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  at: z.string(),
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One message with its provider attempts (its recipient, support or admin)",
  security,
  request: { params: z.object({ id: DeliveryId }) },
  responses: {
    200: jsonContent(DeliverySchema.extend({ providerAttempts: z.array(AttemptSchema) }).openapi("NotificationDetail"), "The message"),
    ...pick(401, 404, 422),
  },
});

const sendRoute = createRoute({
  method: "post",
  path: "/send",
  tags,
  summary: "Send a templated message to a user now (admin); repeat-safe with an Idempotency-Key header",
  security,
  middleware: [requireRole("admin")],
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
    body: { required: true, content: { "application/json": { schema: SendBody } } },
  },
  responses: { 200: jsonContent(SendResultSchema, "What happened on each channel"), ...pick(401, 403, 404, 422) },
});

const templatesRoute = createRoute({
  method: "get",
  path: "/templates",
  tags,
  summary: "The message templates with their channels, locales and data (admin)",
  security,
  middleware: [requireRole("admin")],
  responses: {
    200: jsonContent(
      z.object({ items: z.array(TemplateInfoSchema), fallbackLocale: z.string() }).openapi("NotificationTemplateList"),
      "Templates",
    ),
    ...pick(401, 403),
  },
});

const outboxRoute = createRoute({
  method: "get",
  path: "/outbox",
  tags,
  summary: "What the capture provider would have sent, newest first (admin; not in production)",
  security,
  middleware: [requireRole("admin")],
  request: {
    query: z.object({
      to: z.string().optional().openapi({ description: "Exact recipient address, number or push endpoint" }),
      channel: Channel.optional(),
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(pageOf("CapturedMessagePage", CapturedSchema), "Captured messages"),
    ...pick(401, 403, 404, 422),
  },
});

export const notificationsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
notificationsRoutes
  .openapi(templatesRoute, (c) => {
    const items = TEMPLATE_IDS.map((id) => {
      const def = templateDef(id);
      return {
        id,
        description: def.description,
        category: def.category,
        channels: [...def.channels],
        locales: LOCALES,
        data: templateDataJsonSchema(id),
      };
    });
    return c.json({ items, fallbackLocale: "en" }, 200);
  })
  .openapi(outboxRoute, async (c) => {
    if (platformConfig.read(c.env).APP_ENV === "production") throw notFound("outbox");
    const q = c.req.valid("query");
    const page = await listCaptured(dbOf(c), { recipient: q.to, channel: q.channel, limit: q.limit, cursor: q.cursor });
    return c.json(
      { items: page.items.map((m) => ({ ...m, data: m.data ?? null, createdAt: m.createdAt.toISOString() })), nextCursor: page.nextCursor },
      200,
    );
  })
  .openapi(sendRoute, async (c) => {
    const principal = c.get("principal")!;
    const body = c.req.valid("json");
    const sendId = await sendIdFor(principal.id, body.userId, c.req.valid("header")["idempotency-key"]);
    return c.json(await adminSend(dbOf(c), c.env, sendId, body), 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const principal = c.get("principal");
    const userId = q.userId ?? principal?.id ?? "";
    assertOwnerOrRole(principal, userId, STAFF);
    const page = await listDeliveries(dbOf(c), { userId, channel: q.channel, status: q.status, limit: q.limit, cursor: q.cursor });
    return c.json({ items: page.items.map(toDelivery), nextCursor: page.nextCursor }, 200);
  })
  .openapi(getRoute, async (c) => {
    const db = dbOf(c);
    const row = await findDelivery(db, c.req.valid("param").id);
    if (!row) throw notFound("notification");
    assertOwnerOrRole(c.get("principal"), row.userId ?? "", STAFF);
    const attempts = await listAttempts(db, row.id);
    const providerAttempts = attempts.map((a) => ({
      attempt: a.attempt,
      provider: a.provider,
      outcome: a.outcome,
      httpStatus: a.httpStatus,
      error: a.error,
      durationMs: a.durationMs,
      at: a.at.toISOString(),
    }));
    return c.json({ ...toDelivery(row), providerAttempts }, 200);
  });
notificationsRoutes.route("/push", pushRoutes);
notificationsRoutes.route("/webhooks", webhookRoutes);
