/**
 * Twilio SendGrid (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
 * `POST /v3/mail/send`, answered 202 with the message id in `X-Message-Id`.
 * SendGrid has no idempotency keys; the delivery id travels as a custom
 * argument so its Event Webhook reports can be matched to the record.
 */
import { toBase64 } from "../crypto/bytes.ts";
import type { SendgridConfig } from "./config-schema.ts";
import { errorBody, parseMailbox, providerFetch, retryableStatus, USER_AGENT } from "./http.ts";
import { type Provider, ProviderError } from "./types.ts";

export function sendgridProvider(config: SendgridConfig): Provider<"email"> {
  return {
    name: config.name,
    kind: "sendgrid",
    channel: "email",
    async send(message, ctx) {
      const res = await providerFetch(config.name, `${config.baseUrl}/v3/mail/send`, {
        method: "POST",
        headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json", "user-agent": USER_AGENT },
        body: JSON.stringify({
          personalizations: [{ to: [{ email: message.to }], custom_args: { notification_id: ctx.deliveryId } }],
          from: parseMailbox(config.from),
          subject: message.subject,
          // SendGrid requires text/plain before text/html.
          content: [
            { type: "text/plain", value: message.text },
            { type: "text/html", value: message.html },
          ],
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((a) => ({
                  content: toBase64(a.content),
                  type: a.contentType,
                  filename: a.filename,
                  disposition: "attachment",
                })),
              }
            : {}),
          categories: [ctx.template],
        }),
      });
      if (res.status === 202 || res.ok) return { providerMessageId: res.headers.get("x-message-id"), idempotent: false };
      const { text } = await errorBody(res);
      throw new ProviderError(`${config.name}: HTTP ${res.status} ${text}`, {
        permanent: !retryableStatus(res.status),
        status: res.status,
      });
    },
  };
}
