/**
 * When providers fail: failover to the secondary provider, retries with
 * only the failed message sent again, permanent failures, a crash between a
 * provider accepting a message and its record, and the dead-letter queue
 * with its replay path. Provider answers come from the recorded fixtures
 * through a stub of the outbound fetch; the capture provider's failures are
 * injected through ops.fault_injections.
 */
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { testBindings, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault, processedBy } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import { AFTER_SEND_FAULT_POINT } from "./dispatch.ts";
import { CAPTURE_FAULT_POINT } from "./providers/capture.ts";
import { RESEND, type RecordedResponse, replay, SENDGRID } from "./providers/fixtures.ts";
import {
  attemptsOf,
  type Customer,
  captured,
  customer,
  deliver,
  deliveriesFor,
  envWith,
  event,
  eventuallyCaptured,
  orderNumber,
} from "./test-fixtures.ts";

afterEach(() => vi.restoreAllMocks());

const providers = (email: unknown[]) => envWith({ NOTIFICATION_PROVIDERS: JSON.stringify({ email }) });
const resendAndSendgrid = providers([RESEND.config, SENDGRID.config]);

/** Answers Resend and SendGrid from the given recorded responses, and records each request. */
function stubProviders(answers: {
  resend?: RecordedResponse | ((req: Request) => Promise<RecordedResponse>);
  sendgrid?: RecordedResponse;
}) {
  const requests: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    requests.push(req.clone());
    const which = req.url.startsWith(RESEND.request.url)
      ? answers.resend
      : req.url.startsWith(SENDGRID.request.url)
        ? answers.sendgrid
        : undefined;
    if (!which) throw new Error(`unexpected request to ${req.url}`);
    return replay(typeof which === "function" ? await which(req) : which);
  });
  return requests;
}

const confirmedFor = (user: Customer) =>
  event(
    OrderConfirmed,
    { orderId: newId("ord"), orderNumber: orderNumber(), userId: user.userId, totalMinor: 1234, currency: "EUR" },
    user.userId,
  );
const emailRecord = async (eventId: string) => (await deliveriesFor(eventId)).find((r) => r.channel === "email")!;

describe("failover", () => {
  it("sends through the secondary provider when the primary fails, and records both attempts", async () => {
    const user = await customer();
    const requests = stubProviders({ resend: RESEND.serverError, sendgrid: SENDGRID.ok });
    const confirmed = confirmedFor(user);
    const result = await deliver([confirmed], resendAndSendgrid);
    expect(result.explicitAcks).toHaveLength(1);

    const record = await emailRecord(confirmed.id);
    expect(record).toMatchObject({
      status: "sent",
      provider: "sendgrid",
      providerMessageId: "W6A2NKQzQY2JCjoCe1Zb5A",
      providerIdempotent: false,
      attempts: 1,
    });
    expect((await attemptsOf(record.id)).map((a) => [a.attempt, a.provider, a.outcome, a.httpStatus])).toEqual([
      [1, "resend", "failed", 500],
      [1, "sendgrid", "sent", null],
    ]);
    const sent = (await requests[1]!.json()) as {
      personalizations: { to: { email: string }[]; custom_args: { notification_id: string } }[];
      subject: string;
    };
    expect(sent.personalizations[0]).toEqual({ to: [{ email: user.email }], custom_args: { notification_id: record.id } });
    expect(sent.subject).toMatch(/is confirmed$/);
  });

  it("retries the event when every provider fails, and sends once it can", async () => {
    const user = await customer();
    stubProviders({ resend: RESEND.rateLimited, sendgrid: { status: 503, headers: {}, body: "unavailable" } });
    const confirmed = confirmedFor(user);
    const first = await deliver([confirmed], resendAndSendgrid);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.explicitAcks).toHaveLength(0);
    expect(await processedBy("notifications", confirmed.id)).toBe(false);
    expect(await emailRecord(confirmed.id)).toMatchObject({ status: "failed", lastError: expect.stringContaining("HTTP 503") });

    vi.restoreAllMocks();
    stubProviders({ resend: RESEND.ok });
    const second = await deliver([confirmed], resendAndSendgrid, 2);
    expect(second.explicitAcks).toHaveLength(1);
    const record = await emailRecord(confirmed.id);
    expect(record).toMatchObject({ status: "sent", provider: "resend", providerIdempotent: true, lastError: null });
    expect(record.attempts).toBeGreaterThanOrEqual(2);
    expect((await attemptsOf(record.id)).filter((a) => a.outcome === "sent")).toHaveLength(1);
  });

  it("does not fail over or retry a message the provider refuses for good", async () => {
    const user = await customer();
    const requests = stubProviders({ resend: RESEND.invalidRecipient, sendgrid: SENDGRID.ok });
    const confirmed = confirmedFor(user);
    const result = await deliver([confirmed], resendAndSendgrid);
    expect(result.explicitAcks).toHaveLength(1);
    expect(requests.map((r) => new URL(r.url).hostname)).toEqual(["api.resend.com"]);
    expect(await emailRecord(confirmed.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringContaining("validation_error"),
    });
  });
});

describe("a crash between sending and recording", () => {
  it("resends with the same idempotency key, so a provider that honours it sends one message", async () => {
    const user = await customer();
    // A Resend that deduplicates by Idempotency-Key, as the real one does.
    const accepted = new Map<string, string>();
    const requests = stubProviders({
      resend: async (req) => {
        const key = req.headers.get("idempotency-key")!;
        if (!accepted.has(key)) accepted.set(key, crypto.randomUUID());
        return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: accepted.get(key) }) };
      },
    });
    const env = providers([RESEND.config]);
    const confirmed = confirmedFor(user);
    // The account's own mails (welcome, verification) go first, so the injected crash hits this event.
    await eventuallyCaptured(user.email, /Welcome|Confirm your email/, 2);
    await injectFault(AFTER_SEND_FAULT_POINT, user.email, 1);
    try {
      const crashed = await deliver([confirmed], env);
      expect(crashed.retryMessages).toHaveLength(1);
    } finally {
      await clearFault(AFTER_SEND_FAULT_POINT, user.email);
    }
    expect(await emailRecord(confirmed.id)).toMatchObject({ status: "queued", providerMessageId: null });

    // While the crashed sender's lease lasts, a redelivery leaves the message alone.
    const early = await deliver([confirmed], env, 2);
    expect(early.retryMessages).toHaveLength(1);
    expect(requests).toHaveLength(1);

    // The lease lapses; the retry sends again, with the same key.
    await withTestDb((db) =>
      db.execute(sql`update notifications.deliveries set claimed_until = now() - interval '1 second' where source_id = ${confirmed.id}`),
    );
    const retried = await deliver([confirmed], env, 3);
    expect(retried.explicitAcks).toHaveLength(1);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers.get("idempotency-key")).toBe(requests[0]!.headers.get("idempotency-key"));
    expect(accepted.size).toBe(1);
    const record = await emailRecord(confirmed.id);
    expect(record).toMatchObject({ status: "sent", attempts: 2, providerIdempotent: true, providerMessageId: [...accepted.values()][0] });
  });
});

describe("dead letters and replay", () => {
  it("dead-letters an event whose mail keeps failing, sends the SMS only once meanwhile, and a replay sends the mail once", async () => {
    const user = await customer({ phone: true, preferences: { sms: true } });
    await eventuallyCaptured(user.email, /Welcome|Confirm your email/, 2);
    const confirmed = confirmedFor(user);
    await injectFault(CAPTURE_FAULT_POINT, `capture:${user.email}`, null);
    await testBindings.Q_NOTIFICATIONS.send(confirmed, { contentType: "json" });

    type DeadLetter = { id: string; messageKey: string; status: string; body: { id: string } };
    const parked = await eventually(
      async () => {
        const page = (await (await api("/api/pipeline/dead-letters?queue=notifications-events&limit=100")).json()) as {
          items: DeadLetter[];
        };
        return page.items.find((d) => d.messageKey === confirmed.id);
      },
      30_000,
      "the dead letter",
    );
    expect(parked.body.id).toBe(confirmed.id);
    expect(await processedBy("notifications", confirmed.id)).toBe(false);
    const failed = await emailRecord(confirmed.id);
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    expect(await captured(user.phone!, "sms")).toHaveLength(1);

    await clearFault(CAPTURE_FAULT_POINT, `capture:${user.email}`);
    expect((await api(`/api/pipeline/dead-letters/${parked.id}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => ((await processedBy("notifications", confirmed.id)) ? true : undefined), 20_000, "the replayed event");
    expect(await emailRecord(confirmed.id)).toMatchObject({ status: "sent" });
    expect((await captured(user.email, "email")).filter((m) => /is confirmed/.test(m.subject ?? ""))).toHaveLength(1);
    expect(await captured(user.phone!, "sms")).toHaveLength(1);
  });
});
