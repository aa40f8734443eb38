/**
 * Twilio Programmable Messaging (https://www.twilio.com/docs/messaging/api/message-resource):
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, with
 * HTTP basic auth. The Messages API takes no idempotency key, so a crash
 * between sending and recording can send an SMS twice; the record says so.
 */

import { toBase64, utf8 } from "../crypto/bytes.ts";
import type { TwilioConfig } from "./config-schema.ts";
import { errorBody, providerFetch, retryableStatus, USER_AGENT } from "./http.ts";
import { type Provider, ProviderError } from "./types.ts";

/** Error codes that no provider can get past: invalid or unreachable numbers, and STOP. */
const PERMANENT_CODES = new Set([21211, 21214, 21408, 21610, 21612, 21614]);
export const TWILIO_UNSUBSCRIBED = 21610;

export function twilioProvider(config: TwilioConfig): Provider<"sms"> {
  return {
    name: config.name,
    kind: "twilio",
    channel: "sms",
    async send(message) {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (config.messagingServiceSid) form.set("MessagingServiceSid", config.messagingServiceSid);
      else form.set("From", config.from!);
      if (config.statusCallbackUrl) form.set("StatusCallback", config.statusCallbackUrl);
      const res = await providerFetch(config.name, `${config.baseUrl}/2010-04-01/Accounts/${config.accountSid}/Messages.json`, {
        method: "POST",
        headers: {
          authorization: `Basic ${toBase64(utf8(`${config.accountSid}:${config.authToken}`))}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": USER_AGENT,
        },
        body: form.toString(),
      });
      if (res.ok) {
        const body = (await res.json()) as { sid?: string };
        return { providerMessageId: body.sid ?? null, idempotent: false };
      }
      const { text, json } = await errorBody(res);
      const code = typeof json?.code === "number" ? json.code : undefined;
      const permanent = code !== undefined ? PERMANENT_CODES.has(code) : !retryableStatus(res.status) && res.status !== 404;
      throw new ProviderError(`${config.name}: HTTP ${res.status} ${text}`, {
        permanent,
        status: res.status,
        code: code?.toString(),
        unsubscribed: code === TWILIO_UNSUBSCRIBED,
      });
    },
  };
}
