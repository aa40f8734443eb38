/**
 * Fixtures for the notifications tests: accounts with the contact details
 * and preferences a test needs (created over HTTP through the users family),
 * events built from their contracts and delivered to the notifications
 * consumer, and reads of what was recorded and "sent". Addresses are unique
 * per test: the database is shared by every test file.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { capturedMessages, deliveries, deliveryAttempts } from "../../db/schema/notifications.ts";
import { type TestBindings, testBindings, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { login, strongPassword, uniqueEmail } from "../../test/helpers/identity.ts";
import worker from "../index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";

export interface Customer {
  userId: string;
  email: string;
  phone: string | null;
  accessToken: string;
}

/** A unique E.164 number in a range no real subscriber has. */
export const uniquePhone = () => `+1555${String(crypto.getRandomValues(new Uint32Array(1))[0]! % 10_000_000).padStart(7, "0")}`;

export async function customer(
  options: {
    locale?: string;
    phone?: boolean;
    preferences?: Partial<Record<"orderUpdates" | "marketingEmails" | "productRecommendations" | "sms", boolean>>;
    name?: string;
    role?: "support" | "admin";
  } = {},
): Promise<Customer> {
  const email = uniqueEmail("ntf");
  const password = strongPassword();
  const phone = options.phone ? uniquePhone() : null;
  const res = await api("/api/users/register", {
    method: "POST",
    token: null,
    json: {
      email,
      password,
      name: options.name ?? "Ada Lovelace",
      locale: options.locale,
      ...(phone ? { phone } : {}),
      ...(options.preferences ? { notificationPreferences: options.preferences } : {}),
    },
  });
  const user = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(user)}`);
  if (options.role) await api(`/api/users/${user.id}`, { method: "PUT", json: { role: options.role } });
  const tokens = (await (await login(email, password)).json()) as { accessToken: string };
  return { userId: user.id, email, phone, accessToken: tokens.accessToken };
}

export function event<S extends z.ZodType>(contract: EventContract<string, S>, payload: z.input<S>, subjectId = "subject"): Envelope {
  return buildEvent(contract, { subjectId, payload, source: "test", correlationId: newId("req") }) as Envelope;
}

export const orderNumber = () => `EC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

/** Runs one batch through the Worker's queue() handler, with the raw bindings `env` (e.g. with providers configured). */
export async function deliver(bodies: unknown[], env: TestBindings = testBindings, attempts = 1) {
  const batch = createMessageBatch(
    "notifications-events",
    bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** The test Worker's bindings with some vars changed: a new object, so the Worker builds (and configures) a new Runtime for it. */
export function envWith(vars: Record<string, string>): TestBindings {
  return { ...testBindings, ...vars };
}

export type DeliveryRecord = typeof deliveries.$inferSelect;

export function deliveriesFor(sourceId: string): Promise<DeliveryRecord[]> {
  return withTestDb((db) =>
    db.select().from(deliveries).where(eq(deliveries.sourceId, sourceId)).orderBy(asc(deliveries.channel), asc(deliveries.id)),
  );
}

export function attemptsOf(deliveryId: string) {
  return withTestDb((db) =>
    db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(asc(deliveryAttempts.id)),
  );
}

export function captured(recipient: string, channel?: "email" | "sms" | "push") {
  return withTestDb((db) =>
    db
      .select()
      .from(capturedMessages)
      .where(and(eq(capturedMessages.recipient, recipient), channel ? eq(capturedMessages.channel, channel) : undefined))
      .orderBy(asc(capturedMessages.id)),
  );
}

/** Waits until `recipient` has at least `count` captured messages whose subject matches. */
export function eventuallyCaptured(recipient: string, subject: RegExp, count = 1, timeoutMs = 20_000) {
  return eventually(
    async () => {
      const rows = (await captured(recipient)).filter((m) => subject.test(m.subject ?? m.text));
      return rows.length >= count ? rows : undefined;
    },
    timeoutMs,
    `${count} message(s) matching ${subject} for ${recipient}`,
  );
}

/** A browser's push subscription (its keys, so a test can decrypt what was pushed). */
export async function browserSubscription() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const auth = crypto.getRandomValues(new Uint8Array(16));
  const b64u = (b: Uint8Array) =>
    btoa(String.fromCharCode(...b))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  return {
    json: {
      endpoint: `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`,
      expirationTime: null,
      keys: { p256dh: b64u(publicKey), auth: b64u(auth) },
    },
    publicKey,
    privateD: jwk.d!,
    auth,
  };
}
