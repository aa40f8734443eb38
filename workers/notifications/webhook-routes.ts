/**
 * The providers' webhooks (no bearer token: each request must carry the
 * provider's signature over the raw body, else 401). Register in each
 * provider's console:
 *   Resend    POST /api/notifications/webhooks/resend     (email.delivered, email.bounced, email.complained)
 *   SendGrid  POST /api/notifications/webhooks/sendgrid   (Event Webhook with signature verification on)
 *   Twilio    POST /api/notifications/webhooks/twilio     (the StatusCallback of the messages we send)
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { jsonContent, ProblemSchema, pick } from "../platform/http-schemas.ts";
import { log } from "../platform/log.ts";
import { validationHook } from "../platform/problem-response.ts";
import { invalidWebhookSignature } from "../platform/webhook-signature.ts";
import { notificationsConfig } from "./config.ts";
import { type ProviderReport, parseResend, parseSendgrid, parseTwilio } from "./provider-reports.ts";
import { WebhookResultSchema } from "./schemas.ts";
import { verifySendgrid, verifySvix, verifyTwilio } from "./webhook-signatures.ts";
import { recordReports } from "./webhooks.ts";

const tags = ["Notifications"];
const badSignature = (provider: string) => {
  log.warn("notifications.webhook_refused", { provider });
  return invalidWebhookSignature();
};

const hook = (provider: string, how: string) =>
  createRoute({
    method: "post",
    path: `/${provider}`,
    tags,
    summary: `${provider} delivery events (${how})`,
    responses: {
      200: jsonContent(WebhookResultSchema, "Recorded"),
      400: {
        description: "The signed payload is not the provider's format",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
      ...pick(401),
    },
  });

function providersOf(c: AppContext) {
  const config = notificationsConfig.read(c.env).NOTIFICATION_PROVIDERS;
  return { email: config?.email ?? [], sms: config?.sms ?? [] };
}

async function record(c: AppContext, parse: () => ProviderReport[]) {
  let reports: ProviderReport[];
  try {
    reports = parse();
  } catch (err) {
    throw new ApiError(
      ErrorCode.BAD_REQUEST,
      `The webhook payload is not valid: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`,
    );
  }
  const outcome = await recordReports(dbOf(c), reports, c.get("afterCommit"));
  log.info("notification.webhook", { provider: reports[0]?.provider, ...outcome });
  return c.json(outcome, 200);
}

const json = (text: string): unknown => JSON.parse(text);

export const webhookRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
webhookRoutes
  .openapi(hook("resend", "Svix-signed"), async (c) => {
    const body = await c.req.text();
    const headers = { id: c.req.header("svix-id"), timestamp: c.req.header("svix-timestamp"), signature: c.req.header("svix-signature") };
    const secrets = providersOf(c).email.flatMap((p) => (p.kind === "resend" && p.webhookSecret ? [p.webhookSecret] : []));
    let ok = false;
    for (const secret of secrets) if (!ok) ok = await verifySvix(secret, headers, body);
    if (!ok) throw badSignature("Resend");
    return record(c, () => parseResend(json(body), headers.id!));
  })
  .openapi(hook("sendgrid", "ECDSA-signed"), async (c) => {
    const body = await c.req.text();
    const signature = c.req.header("x-twilio-email-event-webhook-signature");
    const timestamp = c.req.header("x-twilio-email-event-webhook-timestamp");
    const keys = providersOf(c).email.flatMap((p) => (p.kind === "sendgrid" && p.webhookPublicKey ? [p.webhookPublicKey] : []));
    let ok = false;
    for (const key of keys) if (!ok) ok = await verifySendgrid(key, signature, timestamp, body);
    if (!ok) throw badSignature("SendGrid");
    return record(c, () => parseSendgrid(json(body)));
  })
  .openapi(hook("twilio", "X-Twilio-Signature"), async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const account = providersOf(c).sms.find((p) => p.kind === "twilio" && p.accountSid === form.get("AccountSid"));
    // Twilio signs the URL it called: the configured callback URL (behind proxies it differs from what we see).
    const ok =
      account?.kind === "twilio" &&
      (await verifyTwilio(account.authToken, account.statusCallbackUrl ?? c.req.url, form, c.req.header("x-twilio-signature")));
    if (!ok) throw badSignature("Twilio");
    return record(c, () => parseTwilio(form));
  });
