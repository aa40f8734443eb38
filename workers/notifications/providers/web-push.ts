/**
 * Web Push (RFC 8030) to the push service named by the browser's
 * subscription: the payload encrypted for the browser (RFC 8291, aes128gcm)
 * and the request authorised with VAPID (RFC 8292). Push services take no
 * idempotency key; the `Topic` header (derived from it) makes a repeated
 * message replace the first while that one is still undelivered.
 */

import { encryptPushPayload } from "../crypto/ece.ts";
import { vapidAuthorization } from "../crypto/vapid.ts";
import type { WebPushConfig } from "./config-schema.ts";
import { errorBody, providerFetch, retryableStatus } from "./http.ts";
import { type Provider, ProviderError } from "./types.ts";

export function webPushProvider(config: WebPushConfig): Provider<"push"> {
  const keys = { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject: config.subject };
  return {
    name: config.name,
    kind: "webpush",
    channel: "push",
    async send(message, ctx) {
      let body: Uint8Array;
      try {
        body = await encryptPushPayload(message.payload, message);
      } catch (err) {
        throw new ProviderError(`${config.name}: ${err instanceof Error ? err.message : String(err)}`, { permanent: true });
      }
      const res = await providerFetch(config.name, message.endpoint, {
        method: "POST",
        headers: {
          authorization: await vapidAuthorization(message.endpoint, keys),
          "content-encoding": "aes128gcm",
          "content-type": "application/octet-stream",
          ttl: String(message.ttlSeconds),
          urgency: message.urgency,
          // At most 32 base64url characters (RFC 8030 §5.4).
          topic: ctx.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32),
        },
        body,
      });
      if (res.status === 201 || res.ok) return { providerMessageId: res.headers.get("location"), idempotent: false };
      const { text } = await errorBody(res);
      const gone = res.status === 404 || res.status === 410;
      throw new ProviderError(`${config.name}: HTTP ${res.status} ${text}`, {
        permanent: gone || !retryableStatus(res.status),
        status: res.status,
        gone,
      });
    },
  };
}
