/**
 * The delivery family under /api/delivery: shipments and tracking, returns,
 * the carriers' signed webhooks (no bearer token: the signature over the raw
 * body is the credential) and address validation.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/context.ts";
import { jsonContent, ProblemSchema, pick } from "../platform/http-schemas.ts";
import { log } from "../platform/log.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { validateAddress } from "./address.ts";
import { returnRoutes } from "./returns-routes.ts";
import { AddressCheckSchema, WebhookResultSchema } from "./schemas.ts";
import { shipmentRoutes } from "./shipments-routes.ts";
import { handleCarrierWebhook } from "./tracking.ts";

const webhookRoute = createRoute({
  method: "post",
  path: "/webhooks/{carrier}",
  tags: ["Delivery"],
  summary:
    'Carrier status updates, signed: `Carrier-Signature: t=<unix>,v1=<HMAC-SHA256 hex of "<t>.<raw body>">` (one v1 per secret during a rotation)',
  request: { params: z.object({ carrier: z.string().min(1).max(40).openapi({ example: "sandbox" }) }) },
  responses: {
    200: jsonContent(
      WebhookResultSchema,
      "Per event: applied, same, stale (kept in the timeline only), illegal, unknown_shipment or duplicate",
    ),
    ...pick(401, 404, 422),
  },
});

const validateRoute = createRoute({
  method: "post",
  path: "/validate-address",
  tags: ["Delivery"],
  summary: "Check and normalise a shipping address (required fields, countries we ship to, postal-code formats)",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.record(z.string(), z.unknown()).openapi("AddressToCheck", { description: "A ShippingAddress to check" }),
        },
      },
    },
  },
  responses: {
    200: jsonContent(AddressCheckSchema, "Whether the address is valid; if so its normalised form, else the issues by field"),
    422: { description: "The body is not a JSON object", content: { "application/problem+json": { schema: ProblemSchema } } },
  },
});

export const deliveryRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
deliveryRoutes.route("/", shipmentRoutes);
deliveryRoutes.route("/", returnRoutes);
deliveryRoutes
  .openapi(webhookRoute, async (c) => {
    const rawBody = await c.req.text();
    const carrier = c.req.valid("param").carrier;
    const scope = scopeOf(c);
    const result = await handleCarrierWebhook(
      scope.rt,
      scope.db,
      { carrier, headers: c.req.raw.headers, rawBody, correlationId: scope.correlationId },
      scope,
    );
    log.info("delivery.webhook", { carrier, results: result.results.map((r) => r.outcome) });
    return c.json(result, 200);
  })
  .openapi(validateRoute, async (c) => {
    const result = validateAddress(c.req.valid("json"));
    return c.json(
      result.ok ? { valid: true, address: result.address, issues: [] } : { valid: false, address: null, issues: result.issues },
      200,
    );
  });
