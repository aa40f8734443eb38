/**
 * Alerts to the operations channel (SLO breaches and recoveries): a mail to
 * the configured ops address, through the same providers, failover and
 * delivery records as every message, and a JSON post to the ops webhook.
 * Both are keyed by the alert's id, so delivering an alert again (a retry
 * after a failed attempt) sends nothing twice: the mail's delivery record
 * is unique per key, and the webhook gets the id as its `idempotency-key`.
 */
import { platformConfig } from "../platform/config.ts";
import type { Database } from "../platform/db.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { idempotencyKey, maskAddress, recipientHash } from "./compose.ts";
import { dispatch } from "./dispatch.ts";
import { renderMessage } from "./templates/render.ts";

export interface OpsAlert {
  /** Stable per breach (and per recovery): the de-duplication key everywhere. */
  id: string;
  subject: string;
  body: string;
  /** Machine-readable fields for the webhook's receiver (the SLO, its state, its burn rates). */
  fields: Record<string, unknown>;
}

export interface OpsChannel {
  email: string | null;
  webhookUrl: string | null;
}

export type ChannelResult = "sent" | "failed" | "not_configured";

const WEBHOOK_TIMEOUT_MS = 5000;

async function mail(
  db: Database,
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  to: string,
  alert: OpsAlert,
): Promise<ChannelResult> {
  const source = { id: alert.id, type: "OpsAlert" };
  const data = { subject: alert.subject.slice(0, 150), body: alert.body.slice(0, 5000), actionUrl: null, actionLabel: null };
  const { locale, rendered } = renderMessage("message", "email", data, {
    locale: "en",
    name: "operations",
    storefrontUrl: platformConfig.read(rt).STOREFRONT_URL,
  });
  if (rendered.channel !== "email") return "failed";
  const [outcome] = await dispatch(db, rt, [
    {
      key: await idempotencyKey(source, "email", to),
      source,
      template: "message",
      category: "staff",
      channel: "email",
      locale,
      userId: null,
      recipient: { address: to, masked: maskAddress("email", to), hash: await recipientHash("email", to) },
      subject: rendered.subject,
      message: { to, subject: rendered.subject, html: rendered.html, text: rendered.text },
    },
  ]);
  return outcome && (outcome.status === "sent" || outcome.status === "delivered") ? "sent" : "failed";
}

async function post(url: string, alert: OpsAlert): Promise<ChannelResult> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": alert.id },
      body: JSON.stringify({ id: alert.id, subject: alert.subject, text: alert.body, ...alert.fields }),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    return res.ok ? "sent" : "failed";
  } catch (err) {
    log.warn("notification.ops_webhook_failed", { alertId: alert.id, ...errorFields(err) });
    return "failed";
  }
}

/**
 * Delivers one alert to every configured ops channel. `delivered` is true
 * when no configured channel failed (so the caller stops retrying); with no
 * channel configured, the error log is the channel.
 */
export async function sendOpsAlert(
  db: Database,
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  channel: OpsChannel,
  alert: OpsAlert,
): Promise<{ delivered: boolean; email: ChannelResult; webhook: ChannelResult }> {
  const email = channel.email ? await mail(db, rt, channel.email, alert) : "not_configured";
  const webhook = channel.webhookUrl ? await post(channel.webhookUrl, alert) : "not_configured";
  log.error("alert.delivered", { alertId: alert.id, subject: alert.subject, byMail: email, byWebhook: webhook });
  return { delivered: email !== "failed" && webhook !== "failed", email, webhook };
}
