/**
 * Each adapter's request against the provider's documented wire format, and
 * how it reads the provider's recorded answers. The outbound fetch is
 * stubbed: requests are captured and answered from the fixtures.
 */
import { importJWK, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromBase64Url, toBase64Url } from "../crypto/bytes.ts";
import { browserDecrypt } from "../crypto/push-receiver.ts";
import { CONTEXT, MESSAGE, PUSH, RESEND, type RecordedResponse, replay, SENDGRID, TWILIO } from "./fixtures.ts";
import { resendProvider } from "./resend.ts";
import { sendgridProvider } from "./sendgrid.ts";
import { twilioProvider } from "./twilio.ts";
import { ProviderError } from "./types.ts";
import { webPushProvider } from "./web-push.ts";

let captured: Request[] = [];
let answer: RecordedResponse;

beforeEach(() => {
  captured = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    captured.push(new Request(input as RequestInfo, init));
    return replay(answer);
  });
});
afterEach(() => vi.restoreAllMocks());

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

function expectHeaders(req: Request, expected: Record<string, string>) {
  for (const [name, value] of Object.entries(expected)) expect(req.headers.get(name), name).toBe(value);
}

describe("Resend", () => {
  const provider = resendProvider(RESEND.config);

  it("posts the documented JSON with the bearer key and the idempotency key", async () => {
    answer = RESEND.ok;
    const result = await provider.send(MESSAGE.email, CONTEXT);
    expect(result).toEqual({ providerMessageId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c", idempotent: true });
    const [req] = captured;
    expect(req!.method).toBe(RESEND.request.method);
    expect(req!.url).toBe(RESEND.request.url);
    expectHeaders(req!, RESEND.request.headers);
    expect(await req!.json()).toEqual(RESEND.request.body);
  });

  it("sends attachments base64-encoded with their name and type", async () => {
    answer = RESEND.ok;
    const content = new TextEncoder().encode("Day,Orders\r\n2026-03-02,4\r\n");
    await provider.send({ ...MESSAGE.email, attachments: [{ filename: "sales.csv", contentType: "text/csv", content }] }, CONTEXT);
    const body = (await captured[0]!.json()) as { attachments: unknown };
    expect(body.attachments).toEqual([
      { filename: "sales.csv", content: btoa("Day,Orders\r\n2026-03-02,4\r\n"), content_type: "text/csv" },
    ]);
  });

  it("tells permanent failures (invalid address) from ones worth failing over or retrying", async () => {
    answer = RESEND.invalidRecipient;
    expect((await failure(provider.send(MESSAGE.email, CONTEXT))).info).toMatchObject({
      permanent: true,
      status: 422,
      code: "validation_error",
    });
    answer = RESEND.rateLimited;
    expect((await failure(provider.send(MESSAGE.email, CONTEXT))).info).toMatchObject({ permanent: false, status: 429 });
    answer = RESEND.serverError;
    expect((await failure(provider.send(MESSAGE.email, CONTEXT))).info.permanent).toBe(false);
  });

  it("takes a reused idempotency key as the first request having been accepted", async () => {
    answer = RESEND.keyReused;
    expect(await provider.send(MESSAGE.email, CONTEXT)).toEqual({ providerMessageId: null, idempotent: true });
  });

  it("turns a network failure into a transient error", async () => {
    vi.mocked(globalThis.fetch).mockRejectedValueOnce(new TypeError("Network connection lost."));
    const err = await failure(provider.send(MESSAGE.email, CONTEXT));
    expect(err.info.permanent).toBe(false);
    expect(err.message).toContain("Network connection lost");
  });
});

describe("SendGrid", () => {
  const provider = sendgridProvider(SENDGRID.config);

  it("posts the v3 mail/send body (text before HTML, our id as a custom argument) and reads X-Message-Id", async () => {
    answer = SENDGRID.ok;
    expect(await provider.send(MESSAGE.email, CONTEXT)).toEqual({ providerMessageId: "W6A2NKQzQY2JCjoCe1Zb5A", idempotent: false });
    const [req] = captured;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe(SENDGRID.request.url);
    expectHeaders(req!, SENDGRID.request.headers);
    expect(req!.headers.get("idempotency-key")).toBeNull();
    expect(await req!.json()).toEqual(SENDGRID.request.body);
  });

  it("sends attachments base64-encoded, as attachments (not inline)", async () => {
    answer = SENDGRID.ok;
    const content = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]);
    await provider.send({ ...MESSAGE.email, attachments: [{ filename: "sales.pdf", contentType: "application/pdf", content }] }, CONTEXT);
    const body = (await captured[0]!.json()) as { attachments: unknown };
    expect(body.attachments).toEqual([{ content: "JVBERv8A", type: "application/pdf", filename: "sales.pdf", disposition: "attachment" }]);
  });

  it("treats a refused address as permanent", async () => {
    answer = SENDGRID.invalidRecipient;
    expect((await failure(provider.send(MESSAGE.email, CONTEXT))).info).toMatchObject({ permanent: true, status: 400 });
  });
});

describe("Twilio", () => {
  const provider = twilioProvider(TWILIO.config);

  it("posts the form-encoded message with basic auth and the status callback", async () => {
    answer = TWILIO.ok;
    expect(await provider.send(MESSAGE.sms, CONTEXT)).toEqual({
      providerMessageId: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
      idempotent: false,
    });
    const [req] = captured;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe(TWILIO.request.url);
    expectHeaders(req!, TWILIO.request.headers);
    expect(Object.fromEntries(new URLSearchParams(await req!.text()))).toEqual(TWILIO.request.form);
  });

  it("uses a messaging service instead of a sender number when configured", async () => {
    answer = TWILIO.ok;
    await twilioProvider({ ...TWILIO.config, from: undefined, messagingServiceSid: "MG0123456789abcdef0123456789abcdef" }).send(
      MESSAGE.sms,
      CONTEXT,
    );
    const form = new URLSearchParams(await captured[0]!.text());
    expect(form.get("MessagingServiceSid")).toBe("MG0123456789abcdef0123456789abcdef");
    expect(form.has("From")).toBe(false);
  });

  it("reads Twilio's error codes: invalid numbers and STOP are permanent, bad credentials fail over", async () => {
    answer = TWILIO.invalidNumber;
    expect((await failure(provider.send(MESSAGE.sms, CONTEXT))).info).toMatchObject({
      permanent: true,
      code: "21211",
      unsubscribed: false,
    });
    answer = TWILIO.unsubscribed;
    expect((await failure(provider.send(MESSAGE.sms, CONTEXT))).info).toMatchObject({ permanent: true, code: "21610", unsubscribed: true });
    answer = TWILIO.badCredentials;
    expect((await failure(provider.send(MESSAGE.sms, CONTEXT))).info).toMatchObject({ permanent: false, status: 401 });
  });
});

describe("Web Push", () => {
  async function keys() {
    const vapid = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const vapidJwk = (await crypto.subtle.exportKey("jwk", vapid.privateKey)) as JsonWebKey;
    const vapidPublic = new Uint8Array((await crypto.subtle.exportKey("raw", vapid.publicKey)) as ArrayBuffer);
    const browser = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
    const browserPublic = new Uint8Array((await crypto.subtle.exportKey("raw", browser.publicKey)) as ArrayBuffer);
    const browserJwk = (await crypto.subtle.exportKey("jwk", browser.privateKey)) as JsonWebKey;
    const auth = crypto.getRandomValues(new Uint8Array(16));
    return { vapidJwk, vapidPublic, browserPublic, browserPrivate: fromBase64Url(browserJwk.d!), auth };
  }

  it("encrypts for the browser (aes128gcm) and authorises with a VAPID JWT for the push service's origin", async () => {
    const k = await keys();
    const provider = webPushProvider({
      kind: "webpush",
      name: "webpush",
      vapidPublicKey: toBase64Url(k.vapidPublic),
      vapidPrivateKey: k.vapidJwk.d!,
      subject: "mailto:ops@shop.example",
    });
    answer = PUSH.created;
    const payload = JSON.stringify({
      title: "Order EC-1001 confirmed",
      body: "Your payment of €12.34 went through.",
      url: "https://shop.example/account/orders/ord_1",
    });
    const message = {
      endpoint: PUSH.endpoint,
      p256dh: toBase64Url(k.browserPublic),
      auth: toBase64Url(k.auth),
      payload,
      ttlSeconds: 86400,
      urgency: "high" as const,
    };
    expect(await provider.send(message, CONTEXT)).toEqual({ providerMessageId: PUSH.created.headers.location, idempotent: false });

    const [req] = captured;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe(PUSH.endpoint);
    expectHeaders(req!, { "content-encoding": "aes128gcm", "content-type": "application/octet-stream", ttl: "86400", urgency: "high" });
    expect(req!.headers.get("topic")).toMatch(/^[A-Za-z0-9_-]{1,32}$/);

    const [, jwt, k64] = /^vapid t=([^,]+), k=(.+)$/.exec(req!.headers.get("authorization")!)!;
    expect(k64).toBe(toBase64Url(k.vapidPublic));
    const publicJwk = { kty: "EC", crv: "P-256", x: k.vapidJwk.x!, y: k.vapidJwk.y! };
    const { payload: claims, protectedHeader } = await jwtVerify(jwt!, await importJWK(publicJwk, "ES256"), {
      audience: "https://fcm.googleapis.com",
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(claims.sub).toBe("mailto:ops@shop.example");
    expect(claims.exp! - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600);

    const body = new Uint8Array(await req!.arrayBuffer());
    expect(await browserDecrypt(body, k.browserPublic, k.browserPrivate, k.auth)).toBe(payload);
  });

  it("reports a vanished subscription (410) as gone, and throttling as transient", async () => {
    const k = await keys();
    const provider = webPushProvider({
      kind: "webpush",
      name: "webpush",
      vapidPublicKey: toBase64Url(k.vapidPublic),
      vapidPrivateKey: k.vapidJwk.d!,
      subject: "mailto:ops@shop.example",
    });
    const message = {
      endpoint: PUSH.endpoint,
      p256dh: toBase64Url(k.browserPublic),
      auth: toBase64Url(k.auth),
      payload: "{}",
      ttlSeconds: 60,
      urgency: "normal" as const,
    };
    answer = PUSH.gone;
    expect((await failure(provider.send(message, CONTEXT))).info).toMatchObject({ permanent: true, gone: true, status: 410 });
    answer = PUSH.throttled;
    expect((await failure(provider.send(message, CONTEXT))).info).toMatchObject({ permanent: false, status: 429 });
  });
});
