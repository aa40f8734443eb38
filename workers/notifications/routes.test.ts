/** The notifications HTTP routes: own messages, admin sends, templates, the outbox, push subscriptions. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, BASE } from "../../test/helpers/http.ts";
import worker from "../index.ts";
import { newId } from "../platform/ids.ts";
import { toBase64Url } from "./crypto/bytes.ts";
import { browserSubscription, captured, customer, envWith, eventuallyCaptured } from "./test-fixtures.ts";

type Delivery = {
  id: string;
  channel: string;
  template: string;
  status: string;
  skipReason: string | null;
  recipient: string | null;
  subject: string | null;
  providerAttempts?: { provider: string; outcome: string }[];
};
type Page = { items: Delivery[]; nextCursor: string | null };
type SendResult = {
  sendId: string;
  status: string;
  messages: { id: string; channel: string; status: string; skipReason: string | null; duplicate: boolean }[];
};
type Problem = { code: string; errors?: { field: string }[] };

describe("GET /api/notifications", () => {
  it("lists the caller's own messages, newest first with a cursor, and hides other users'", async () => {
    const [ada, bob] = await Promise.all([customer(), customer()]);
    await eventuallyCaptured(ada.email, /Welcome|Confirm your email/, 2);
    const page1 = (await (await api("/api/notifications?limit=1", { token: ada.accessToken })).json()) as Page;
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await (await api(`/api/notifications?limit=1&cursor=${page1.nextCursor}`, { token: ada.accessToken })).json()) as Page;
    expect(page2.items[0]!.id < page1.items[0]!.id).toBe(true);
    expect([...page1.items, ...page2.items].map((d) => d.template).sort()).toEqual(["email-verification", "welcome"]);
    expect(page1.items[0]!.recipient).toMatch(/^n\*\*\*@t\*\*\*\.example$/);

    const one = await api(`/api/notifications/${page1.items[0]!.id}`, { token: ada.accessToken });
    expect(one.status).toBe(200);
    expect(((await one.json()) as Delivery).providerAttempts).toEqual([expect.objectContaining({ provider: "capture", outcome: "sent" })]);
    // Another customer sees neither the message nor the list.
    expect((await api(`/api/notifications/${page1.items[0]!.id}`, { token: bob.accessToken })).status).toBe(404);
    expect((await api(`/api/notifications?userId=${ada.userId}`, { token: bob.accessToken })).status).toBe(404);
    // Staff may look.
    const asAdmin = (await (await api(`/api/notifications?userId=${ada.userId}`)).json()) as Page;
    expect(asAdmin.items.length).toBe(2);
    expect((await api("/api/notifications", { token: null })).status).toBe(401);
  });
});

describe("POST /api/notifications/send", () => {
  it("sends a templated message now, once per Idempotency-Key", async () => {
    const user = await customer({ locale: "de", phone: true, preferences: { sms: true } });
    const body = {
      userId: user.userId,
      template: "message",
      category: "transactional",
      data: { subject: "Lieferverzögerung", body: "Ihre Bestellung <kommt> später.\n\nEntschuldigung!" },
    };
    const key = crypto.randomUUID();
    const first = await api("/api/notifications/send", { method: "POST", json: body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(200);
    const sent = (await first.json()) as SendResult;
    expect(sent.status).toBe("sent");
    expect(sent.messages.map((m) => [m.channel, m.status, m.duplicate]).sort()).toEqual([
      ["email", "sent", false],
      ["sms", "sent", false],
    ]);
    const again = (await (
      await api("/api/notifications/send", { method: "POST", json: body, headers: { "idempotency-key": key } })
    ).json()) as SendResult;
    expect(again.sendId).toBe(sent.sendId);
    expect(again.messages.every((m) => m.duplicate && m.status === "sent")).toBe(true);

    const mails = (await captured(user.email, "email")).filter((m) => m.subject === "Lieferverzögerung");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.html).toContain("<p>Ihre Bestellung &lt;kommt&gt; später.</p><p>Entschuldigung!</p>");
    expect(mails[0]!.text).toMatch(/^Hallo Ada Lovelace,/);
    expect(await captured(user.phone!, "sms")).toHaveLength(1);
  });

  it("applies preferences: marketing needs the opt-in", async () => {
    const user = await customer();
    const res = (await (
      await api("/api/notifications/send", {
        method: "POST",
        json: { userId: user.userId, template: "message", category: "marketing", data: { subject: "Sale", body: "50% off" } },
      })
    ).json()) as SendResult;
    expect(res.status).toBe("skipped");
    expect(res.messages).toEqual([expect.objectContaining({ channel: "email", status: "skipped", skipReason: "opted_out" })]);
  });

  it("validates the template's data, needs a category for free-form messages, and knows the user", async () => {
    const user = await customer();
    const bad = await api("/api/notifications/send", {
      method: "POST",
      json: { userId: user.userId, template: "order-confirmed", data: { orderId: "ord_1" } },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors!.map((e) => e.field)).toEqual(
      expect.arrayContaining(["data.orderNumber", "data.totalMinor", "data.currency"]),
    );
    const noCategory = await api("/api/notifications/send", {
      method: "POST",
      json: { userId: user.userId, template: "message", data: { subject: "a", body: "b" } },
    });
    expect(((await noCategory.json()) as Problem).errors).toEqual([expect.objectContaining({ field: "category" })]);
    expect(
      (await api("/api/notifications/send", { method: "POST", json: { userId: "usr_01JQ8Y3Z5N7Q2W4E6R8T0Y2U4W", template: "welcome" } }))
        .status,
    ).toBe(404);
    expect((await api("/api/notifications/send", { method: "POST", json: { userId: user.userId, template: "nope" } })).status).toBe(422);
  });

  it("is for admins only", async () => {
    const user = await customer();
    expect(
      (
        await api("/api/notifications/send", {
          method: "POST",
          token: user.accessToken,
          json: { userId: user.userId, template: "welcome" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api("/api/notifications/send", { method: "POST", token: null, json: { userId: user.userId, template: "welcome" } })).status,
    ).toBe(401);
  });
});

describe("templates and the outbox", () => {
  it("lists templates with their locales and data schema, and the captured messages (admin)", async () => {
    const templates = (await (await api("/api/notifications/templates")).json()) as {
      items: { id: string; locales: string[]; channels: string[]; data: { properties?: Record<string, unknown> } }[];
    };
    const confirmed = templates.items.find((t) => t.id === "order-confirmed")!;
    expect(confirmed.locales).toEqual(expect.arrayContaining(["en", "de"]));
    expect(confirmed.channels).toEqual(["email", "sms", "push"]);
    expect(Object.keys(confirmed.data.properties!)).toEqual(expect.arrayContaining(["orderNumber", "totalMinor", "currency"]));

    const user = await customer();
    // Both mails of a sign-up come from events handled apart: wait for each, not only the first.
    await eventuallyCaptured(user.email, /Welcome/);
    await eventuallyCaptured(user.email, /Confirm your email/);
    const outbox = (await (await api(`/api/notifications/outbox?to=${encodeURIComponent(user.email)}`)).json()) as {
      items: { subject: string; html: string | null }[];
    };
    expect(outbox.items.map((m) => m.subject).sort()).toEqual(["Confirm your email address", "Welcome to Edge Commerce"]);
    expect((await api("/api/notifications/outbox", { token: user.accessToken })).status).toBe(403);
  });

  it("has no outbox in production", async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/notifications/outbox`, { headers: { authorization: "Bearer test-ops-token-0123456789abcdef" } }),
      envWith({ APP_ENV: "production" }),
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });
});

describe("push subscriptions", () => {
  it("registers the caller's browser, replaces it on re-subscription, lists and removes it", async () => {
    const user = await customer();
    const browser = await browserSubscription();
    const created = await api("/api/notifications/push/subscriptions", {
      method: "POST",
      token: user.accessToken,
      json: browser.json,
      headers: { "user-agent": "Firefox/140" },
    });
    expect(created.status).toBe(201);
    const sub = (await created.json()) as { id: string; endpointHost: string; userAgent: string };
    expect(sub).toMatchObject({ endpointHost: "fcm.googleapis.com", userAgent: "Firefox/140" });
    const again = await api("/api/notifications/push/subscriptions", { method: "POST", token: user.accessToken, json: browser.json });
    expect(again.status).toBe(200);
    const list = (await (await api("/api/notifications/push/subscriptions", { token: user.accessToken })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((s) => s.id)).toEqual([sub.id]);
    expect((await api(`/api/notifications/push/subscriptions/${sub.id}`, { method: "DELETE", token: user.accessToken })).status).toBe(204);
    expect((await api(`/api/notifications/push/subscriptions/${sub.id}`, { method: "DELETE", token: user.accessToken })).status).toBe(404);
  });

  it("refuses endpoints that are not browser push services and malformed keys", async () => {
    const user = await customer();
    const browser = await browserSubscription();
    const post = (json: unknown) => api("/api/notifications/push/subscriptions", { method: "POST", token: user.accessToken, json });
    const internal = await post({ ...browser.json, endpoint: "https://169.254.169.254/latest/meta-data" });
    expect(internal.status).toBe(422);
    expect(((await internal.json()) as Problem).code).toBe("UNSUPPORTED_PUSH_SERVICE");
    expect((await post({ ...browser.json, endpoint: "http://fcm.googleapis.com/fcm/send/x" })).status).toBe(422);
    expect((await post({ ...browser.json, endpoint: "https://fcm.googleapis.com.evil.example/x" })).status).toBe(422);
    const badKey = await post({ ...browser.json, keys: { ...browser.json.keys, p256dh: toBase64Url(new Uint8Array(65).fill(7)) } });
    expect(((await badKey.json()) as Problem).code).toBe("INVALID_PUSH_SUBSCRIPTION");
    // A service token is not a browser's user.
    expect((await api("/api/notifications/push/subscriptions", { method: "POST", json: browser.json })).status).toBe(403);
  });

  it("serves the VAPID public key when web push is configured", async () => {
    expect((await api("/api/notifications/push/vapid-public-key", { token: null })).status).toBe(404);
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const publicKey = toBase64Url(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
    const d = ((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey).d!;
    const env = envWith({
      NOTIFICATION_PROVIDERS: JSON.stringify({
        push: [{ kind: "webpush", vapidPublicKey: publicKey, vapidPrivateKey: d, subject: "mailto:ops@shop.example" }],
      }),
    });
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${BASE}/api/notifications/push/vapid-public-key`), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await res.json()).toEqual({ publicKey });
  });
});

describe("OpenAPI", () => {
  it("documents the family's routes", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as { paths: Record<string, unknown> };
    for (const path of [
      "/api/notifications",
      "/api/notifications/{id}",
      "/api/notifications/send",
      "/api/notifications/push/subscriptions",
      "/api/notifications/webhooks/resend",
      "/api/notifications/webhooks/twilio",
      "/api/notifications/webhooks/sendgrid",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});

describe("housekeeping", () => {
  it("prunes captured messages after a week and attempt logs after 90 days, keeping newer ones", async () => {
    const old = newId("cap");
    const recent = newId("cap");
    const oldAttempt = newId("nat");
    await withTestDb(async (db) => {
      await db.execute(sql`
        insert into notifications.captured_messages (id, provider, channel, idempotency_key, delivery_id, recipient, text, created_at) values
          (${old}, 'capture', 'email', ${old}, 'ntf_x', 'old@test.example', 'old', now() - interval '8 days'),
          (${recent}, 'capture', 'email', ${recent}, 'ntf_x', 'new@test.example', 'new', now() - interval '6 days')`);
      await db.execute(
        sql`insert into notifications.delivery_attempts (id, delivery_id, attempt, provider, outcome, duration_ms, at) values (${oldAttempt}, 'ntf_x', 1, 'capture', 'sent', 1, now() - interval '91 days')`,
      );
    });
    const run = (await (await api("/api/scheduler/jobs/notifications-prune/run", { method: "POST" })).json()) as {
      outcome: string;
      result: { capturedDeleted: number; attemptsDeleted: number };
    };
    expect(run.outcome).toBe("succeeded");
    expect(run.result.capturedDeleted).toBeGreaterThanOrEqual(1);
    expect(run.result.attemptsDeleted).toBeGreaterThanOrEqual(1);
    const left = await withTestDb(async (db) =>
      (
        await db.execute<{ id: string }>(
          sql`select id from notifications.captured_messages where id in (${old}, ${recent}) union all select id from notifications.delivery_attempts where id = ${oldAttempt}`,
        )
      ).rows.map((r) => r.id),
    );
    expect(left).toEqual([recent]);
  });
});
