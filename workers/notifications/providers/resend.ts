/**
 * Resend (https://resend.com/docs/api-reference/emails/send-email):
 * `POST /emails` with a bearer API key. Resend honours `Idempotency-Key`
 * for 24 hours, so a resend after a crash between sending and recording
 * returns the first message's id instead of sending a second mail.
 */
import { toBase64 } from "../crypto/bytes.ts";
import type { ResendConfig } from "./config-schema.ts";
import { errorBody, providerFetch, retryableStatus, USER_AGENT } from "./http.ts";
import { type Provider, ProviderError } from "./types.ts";

export function resendProvider(config: ResendConfig): Provider<"email"> {
  return {
    name: config.name,
    kind: "resend",
    channel: "email",
    async send(message, ctx) {
      const res = await providerFetch(config.name, `${config.baseUrl}/emails`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": ctx.idempotencyKey,
          "user-agent": USER_AGENT,
        },
        body: JSON.stringify({
          from: config.from,
          to: [message.to],
          subject: message.subject,
          html: message.html,
          text: message.text,
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((a) => ({
                  filename: a.filename,
                  content: toBase64(a.content),
                  content_type: a.contentType,
                })),
              }
            : {}),
          tags: [
            { name: "template", value: ctx.template },
            { name: "notification_id", value: ctx.deliveryId },
          ],
        }),
      });
      if (res.ok) {
        const body = (await res.json()) as { id?: string };
        return { providerMessageId: body.id ?? null, idempotent: true };
      }
      const { text, json } = await errorBody(res);
      const name = typeof json?.name === "string" ? json.name : undefined;
      // The key was already used for this message: Resend accepted it the first time.
      if (res.status === 409 && name === "invalid_idempotent_request") return { providerMessageId: null, idempotent: true };
      const permanent = !retryableStatus(res.status) && !(res.status === 409 && name === "concurrent_idempotent_requests");
      throw new ProviderError(`${config.name}: HTTP ${res.status} ${text}`, { permanent, status: res.status, code: name });
    },
  };
}
