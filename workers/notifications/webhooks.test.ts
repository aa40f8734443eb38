/**
 * Provider webhooks: signed delivery receipts, bounces and complaints update
 * the delivery records, suppress addresses and become notification events;
 * forged, replayed or stale requests are refused.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PasswordResetRequested } from "../../queues/contracts/events/auth.ts";
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { BASE } from "../../test/helpers/http.ts";
import { outboxEvents } from "../../test/helpers/identity.ts";
import worker from "../index.ts";
import { newId } from "../platform/ids.ts";
import { toBase64, utf8 } from "./crypto/bytes.ts";
import { RESEND, SENDGRID, TWILIO } from "./providers/fixtures.ts";
import { type Customer, customer, deliver, deliveriesFor, envWith, event, eventuallyCaptured, orderNumber } from "./test-fixtures.ts";
import { svixSignature, twilioSignature } from "./webhook-signatures.ts";

afterEach(() => vi.restoreAllMocks());

const WEBHOOK_SECRET = `whsec_${toBase64(utf8("resend-webhook-secret-for-tests-0123"))}`;
const sendgridKeys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
const sendgridPublicKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("spki", sendgridKeys.publicKey)) as ArrayBuffer));

const env = envWith({
  NOTIFICATION_PROVIDERS: JSON.stringify({
    email: [
      { ...RESEND.config, webhookSecret: WEBHOOK_SECRET },
      { ...SENDGRID.config, webhookPublicKey: sendgridPublicKey },
    ],
    sms: [TWILIO.config],
  }),
});

/** Providers that accept everything, each giving a fresh message id. */
function acceptAll() {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new Request(input as RequestInfo, init).url;
    if (url.startsWith(RESEND.request.url)) return Response.json({ id: crypto.randomUUID() });
    if (url.startsWith(SENDGRID.request.url))
      return new Response(null, { status: 202, headers: { "x-message-id": crypto.randomUUID().replace(/-/g, "") } });
    if (url.startsWith(TWILIO.request.url))
      return Response.json({ sid: `SM${crypto.randomUUID().replace(/-/g, "")}`, status: "queued" }, { status: 201 });
    throw new Error(`unexpected request to ${url}`);
  });
}

async function post(path: string, body: string, headers: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}/api/notifications/webhooks/${path}`, { method: "POST", body, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function resendHook(body: unknown, options: { id?: string; timestamp?: number; secret?: string } = {}) {
  const text = JSON.stringify(body);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = await svixSignature(options.secret ?? WEBHOOK_SECRET, id, timestamp, text);
  return post("resend", text, {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": `v1,${signature}`,
  });
}

async function orderMail(user: Customer) {
  const confirmed = event(
    OrderConfirmed,
    { orderId: newId("ord"), orderNumber: orderNumber(), userId: user.userId, totalMinor: 1000, currency: "EUR" },
    user.userId,
  );
  expect((await deliver([confirmed], env)).explicitAcks).toHaveLength(1);
  return (await deliveriesFor(confirmed.id)).find((d) => d.channel === "email")!;
}

describe("Resend webhooks", () => {
  it("records a hard bounce once, suppresses the address, and announces it; security mail still goes out", async () => {
    acceptAll();
    const user = await customer();
    await eventuallyCaptured(user.email, /Welcome|Confirm your email/, 2);
    const mail = await orderMail(user);
    expect(mail).toMatchObject({ status: "sent", provider: "resend" });
    const bounce = {
      type: "email.bounced",
      created_at: new Date().toISOString(),
      data: {
        email_id: mail.providerMessageId,
        to: [user.email],
        subject: "x",
        bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" },
      },
    };
    const id = `msg_${crypto.randomUUID()}`;

    const res = await resendHook(bounce, { id });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ recorded: 1, duplicates: 0, matched: 1 });
    expect(await resendHook(bounce, { id }).then((r) => r.json())).toEqual({ recorded: 0, duplicates: 1, matched: 0 });
    expect((await deliveriesFor(mail.sourceId)).find((d) => d.id === mail.id)!.status).toBe("bounced");
    const announced = await outboxEvents<{ kind: string; suppressed: boolean; template: string }>(mail.id, "NotificationBounced");
    expect(announced).toHaveLength(1);
    expect(announced[0]!.payload).toMatchObject({ kind: "bounce", suppressed: true, template: "order-confirmed" });

    // The next order mail is not sent to the bounced address; a password reset the user asks for is.
    const next = await orderMail(user);
    expect(next).toMatchObject({ status: "skipped", skipReason: "suppressed" });
    const reset = event(PasswordResetRequested, {
      userId: user.userId,
      email: user.email,
      locale: "en",
      token: "pr_test",
      expiresAt: new Date(Date.now() + 1_800_000).toISOString(),
    });
    await deliver([reset], env);
    expect((await deliveriesFor(reset.id))[0]).toMatchObject({ status: "sent" });
  });

  it("refuses forged, altered and stale requests", async () => {
    const body = { type: "email.delivered", created_at: new Date().toISOString(), data: { email_id: crypto.randomUUID() } };
    const forged = await resendHook(body, { secret: `whsec_${toBase64(utf8("someone-elses-secret-0123456789"))}` });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe("INVALID_WEBHOOK_SIGNATURE");
    expect((await resendHook(body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const id = `msg_${crypto.randomUUID()}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = await svixSignature(WEBHOOK_SECRET, id, timestamp, JSON.stringify(body));
    const altered = JSON.stringify({ ...body, type: "email.complained" });
    expect(
      (await post("resend", altered, { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` })).status,
    ).toBe(401);
    // Without any configuration nothing verifies.
    const ctx = createExecutionContext();
    const unconfigured = await worker.fetch(
      new Request(`${BASE}/api/notifications/webhooks/resend`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` },
      }),
      envWith({}),
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(unconfigured.status).toBe(401);
  });
});

describe("SendGrid webhooks", () => {
  function derOf(raw: Uint8Array): Uint8Array {
    const int = (b: Uint8Array) => {
      let i = 0;
      while (i < b.length - 1 && b[i] === 0) i++;
      const v = b.subarray(i);
      return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
    };
    const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
    return new Uint8Array([0x30, body.length, ...body]);
  }

  async function sendgridHook(events: unknown[], privateKey = sendgridKeys.privateKey) {
    const body = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, utf8(timestamp + body)));
    return post("sendgrid", body, {
      "x-twilio-email-event-webhook-signature": toBase64(derOf(raw)),
      "x-twilio-email-event-webhook-timestamp": timestamp,
    });
  }

  it("matches events to deliveries by our id, takes the strongest status, and suppresses after a spam report", async () => {
    acceptAll();
    const user = await customer();
    const mail = await orderMail(user);
    const base = { email: user.email, timestamp: Math.floor(Date.now() / 1000), sg_message_id: "x.filter", notification_id: mail.id };
    const res = await sendgridHook([
      { ...base, event: "delivered", sg_event_id: crypto.randomUUID() },
      { ...base, event: "spamreport", sg_event_id: crypto.randomUUID() },
      { ...base, event: "open", sg_event_id: crypto.randomUUID() },
    ]);
    expect(await res.json()).toEqual({ recorded: 3, duplicates: 0, matched: 3 });
    expect((await deliveriesFor(mail.sourceId)).find((d) => d.id === mail.id)!.status).toBe("complained");
    expect(await outboxEvents(mail.id, "NotificationDelivered")).toHaveLength(1);
    expect((await outboxEvents<{ kind: string }>(mail.id, "NotificationBounced"))[0]!.payload.kind).toBe("complaint");
    expect(await orderMail(user)).toMatchObject({ status: "skipped", skipReason: "suppressed" });
  });

  it("refuses a batch signed with another key", async () => {
    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const res = await sendgridHook([{ event: "delivered", email: "a@example.com", timestamp: 1, sg_event_id: "e1" }], other.privateKey);
    expect(res.status).toBe(401);
  });
});

describe("Twilio status callbacks", () => {
  it("marks an SMS delivered from a signed callback, and refuses a forged one", async () => {
    acceptAll();
    const user = await customer({ phone: true, preferences: { sms: true } });
    const confirmed = event(
      OrderConfirmed,
      { orderId: newId("ord"), orderNumber: orderNumber(), userId: user.userId, totalMinor: 1000, currency: "EUR" },
      user.userId,
    );
    await deliver([confirmed], env);
    const sms = (await deliveriesFor(confirmed.id)).find((d) => d.channel === "sms")!;
    expect(sms).toMatchObject({ status: "sent", provider: "twilio", providerMessageId: expect.stringMatching(/^SM/) });

    const form = new URLSearchParams({
      AccountSid: TWILIO.config.accountSid,
      MessageSid: sms.providerMessageId!,
      MessageStatus: "delivered",
      To: user.phone!,
      From: TWILIO.config.from,
      ApiVersion: "2010-04-01",
    });
    const signature = await twilioSignature(TWILIO.config.authToken, TWILIO.config.statusCallbackUrl, form);
    const headers = { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature };
    expect(await (await post("twilio", form.toString(), headers)).json()).toEqual({ recorded: 1, duplicates: 0, matched: 1 });
    expect((await deliveriesFor(confirmed.id)).find((d) => d.id === sms.id)!.status).toBe("delivered");

    const forged = new URLSearchParams(form);
    forged.set("MessageStatus", "undelivered");
    expect((await post("twilio", forged.toString(), headers)).status).toBe(401);
    const unknownAccount = new URLSearchParams(form);
    unknownAccount.set("AccountSid", "AC99999999999999999999999999999999");
    expect(
      (
        await post("twilio", unknownAccount.toString(), {
          ...headers,
          "x-twilio-signature": await twilioSignature(TWILIO.config.authToken, TWILIO.config.statusCallbackUrl, unknownAccount),
        })
      ).status,
    ).toBe(401);
  });
});

describe("payloads", () => {
  it("answers 400 to a correctly signed body that is not the provider's format", async () => {
    expect((await resendHook({ hello: "world" })).status).toBe(400);
  });
});
