/**
 * Builders for the reviews tests: products through the catalogue's API,
 * signed-in customers (fresh accounts are "new" and their reviews are
 * moderated first, so `shopper()` backdates the account unless asked not
 * to), reviews over HTTP, direct recounts and the outbox's review events.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { testBindings, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import worker from "../index.ts";
import type { Role } from "../platform/context.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newProduct } from "../products/test-fixtures.ts";

export interface ReviewBody {
  id: string;
  productId: string;
  userId: string | null;
  authorName: string | null;
  rating: number;
  title: string | null;
  body: string;
  status: "pending" | "approved" | "rejected";
  verifiedPurchase: boolean;
  helpfulCount: number;
  notHelpfulCount: number;
  version: number;
  moderation: { heldFor: string[]; note: string | null; moderatedAt: string | null; openReports: number | null } | null;
}
export interface RatingBody {
  productId: string;
  average: number;
  count: number;
  histogram: Record<"1" | "2" | "3" | "4" | "5", number>;
  version: number;
}
export interface PageBody {
  items: ReviewBody[];
  nextCursor: string | null;
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function activeProduct(): Promise<string> {
  return (await newProduct()).id;
}

/** A signed-in user whose account is `ageDays` old (default 30: past the new-account rule). */
export async function shopper(options: { ageDays?: number; role?: Role; name?: string } = {}): Promise<TestUser> {
  const user = await registerAndLogin(options.role ?? "customer", { name: options.name });
  const ageDays = options.ageDays ?? 30;
  if (ageDays > 0)
    await withTestDb((db) =>
      db.execute(sql`update users.users set created_at = now() - make_interval(days => ${ageDays}) where id = ${user.userId}`),
    );
  return user;
}

export const reviewBody = (productId: string, rating = 4, extra: Record<string, unknown> = {}) => ({
  productId,
  rating,
  title: "Solid",
  body: "Does what it says and arrived quickly.",
  ...extra,
});

export function post(user: TestUser | string | null, body: unknown): Promise<Response> {
  return api("/api/reviews", { method: "POST", json: body, token: typeof user === "string" || user === null ? user : user.accessToken });
}

export async function postReview(user: TestUser, productId: string, rating = 4, extra: Record<string, unknown> = {}): Promise<ReviewBody> {
  return json<ReviewBody>(await post(user, reviewBody(productId, rating, extra)), 201);
}

/** A moderator's decision through the API (the operations token is an admin). */
export async function moderate(reviewId: string, decision: "approve" | "reject", token?: string): Promise<Response> {
  return api(`/api/reviews/${reviewId}/moderation`, { method: "POST", json: { decision }, token });
}

export async function ratingOf(productId: string): Promise<RatingBody> {
  return json<RatingBody>(await api(`/api/reviews/ratings/${productId}`, { token: null }), 200);
}

/** Stars 1..5 of the product's approved reviews, counted directly from the reviews table. */
export function recount(productId: string): Promise<Record<"1" | "2" | "3" | "4" | "5", number>> {
  return withTestDb(async (db) => {
    const rows = await db.execute<{ rating: number; n: number }>(sql`
      select rating, count(*)::int as n from reviews.reviews where product_id = ${productId} and status = 'approved' group by rating`);
    const h = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<"1" | "2" | "3" | "4" | "5", number>;
    for (const r of rows.rows) h[String(r.rating) as "1"] = r.n;
    return h;
  });
}

/** Checks the maintained figures against a recount; returns them. */
export async function expectConsistent(productId: string, expect: (a: unknown, b: unknown) => void): Promise<RatingBody> {
  const rating = await ratingOf(productId);
  const h = await recount(productId);
  expect(rating.histogram, h);
  const count = Object.values(h).reduce((s, n) => s + n, 0);
  const total = Object.entries(h).reduce((s, [k, n]) => s + Number(k) * n, 0);
  expect(rating.count, count);
  expect(rating.average, count === 0 ? 0 : Math.round((total / count) * 100) / 100);
  return rating;
}

export interface OutboxEvent<P = Record<string, unknown>> {
  id: string;
  type: string;
  payload: P;
  actor: { type: string; id: string } | null;
}

/** The events written about a review (or any subject), oldest first, optionally of one type. */
export function eventsAbout<P = Record<string, unknown>>(subjectId: string, type?: string): Promise<OutboxEvent<P>[]> {
  return withTestDb(async (db) => {
    const r = await db.execute<{ envelope: OutboxEvent<P> }>(
      sql`select envelope from events.outbox where envelope->>'subjectId' = ${subjectId} ${type ? sql`and type = ${type}` : sql``} order by seq`,
    );
    return r.rows.map((x) => x.envelope);
  });
}

export function event<S extends z.ZodType>(
  contract: EventContract<string, S>,
  subjectId: string,
  payload: z.input<S>,
  occurredAt?: Date,
): Envelope {
  return buildEvent(contract, { subjectId, payload, source: "test", correlationId: subjectId, occurredAt }) as Envelope;
}

/** Hands events to one consumer group's queue handler as a batch; answers what was acknowledged. */
export async function deliver(queue: "pipeline-events" | "search-events", events: Envelope[]): Promise<{ acked: number; retried: number }> {
  const batch = createMessageBatch(
    queue,
    events.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testBindings, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length };
}
