/** Web push for the signed-in user: the application server key to subscribe with, and their subscriptions. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { vapidPublicKey } from "./provider-chains.ts";
import { listSubscriptions, type PushSubscriptionRow, registerSubscription, removeSubscription } from "./push-subscriptions.ts";
import { PushSubscriptionBody, PushSubscriptionSchema } from "./schemas.ts";

const security = [{ bearer: [] }];
const tags = ["Notifications"];

const toView = (r: PushSubscriptionRow) => ({
  id: r.id,
  endpointHost: new URL(r.endpoint).hostname,
  userAgent: r.userAgent,
  createdAt: r.createdAt.toISOString(),
  lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
});

const keyRoute = createRoute({
  method: "get",
  path: "/vapid-public-key",
  tags,
  summary: "The application server key for PushManager.subscribe (404 when web push is not configured)",
  responses: {
    200: jsonContent(z.object({ publicKey: z.string() }).openapi("VapidPublicKey"), "The VAPID public key (base64url)"),
    ...pick(404),
  },
});

const subscribeRoute = createRoute({
  method: "post",
  path: "/subscriptions",
  tags,
  summary: "Register this browser's push subscription for the signed-in user",
  security,
  middleware: [requireUser],
  request: { body: { required: true, content: { "application/json": { schema: PushSubscriptionBody } } } },
  responses: {
    201: jsonContent(PushSubscriptionSchema, "Registered"),
    200: jsonContent(PushSubscriptionSchema, "Already registered (updated)"),
    ...pick(401, 403, 409, 422),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/subscriptions",
  tags,
  summary: "The signed-in user's push subscriptions",
  security,
  middleware: [requireUser],
  responses: { 200: jsonContent(listOf("PushSubscriptionList", PushSubscriptionSchema), "Subscriptions"), ...pick(401, 403) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/subscriptions/{id}",
  tags,
  summary: "Remove one of the signed-in user's push subscriptions",
  security,
  middleware: [requireUser],
  request: { params: z.object({ id: z.string().regex(/^psub_[0-9A-Z]{26}$/) }) },
  responses: { 204: { description: "Removed" }, ...pick(401, 403, 404, 422) },
});

export const pushRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
pushRoutes
  .openapi(keyRoute, (c) => {
    const publicKey = vapidPublicKey(c.env);
    if (!publicKey) throw notFound("web push configuration");
    return c.json({ publicKey }, 200);
  })
  .openapi(subscribeRoute, async (c) => {
    const { row, created } = await registerSubscription(
      dbOf(c),
      c.get("principal")!.id,
      c.req.valid("json"),
      c.req.header("user-agent") ?? null,
    );
    return c.json(toView(row), created ? 201 : 200);
  })
  .openapi(listRoute, async (c) => c.json({ items: (await listSubscriptions(dbOf(c), [c.get("principal")!.id])).map(toView) }, 200))
  .openapi(deleteRoute, async (c) => {
    if (!(await removeSubscription(dbOf(c), c.get("principal")!.id, c.req.valid("param").id))) throw notFound("push subscription");
    return c.body(null, 204);
  });
