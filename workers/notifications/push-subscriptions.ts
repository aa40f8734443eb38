/**
 * Browsers' push subscriptions. The endpoint must belong to a known push
 * service: the Worker posts to it, so an arbitrary URL would let any user
 * aim our requests anywhere. A browser that subscribes again (same endpoint)
 * for the same user refreshes its record; an endpoint registered by another
 * user is never moved to the caller (409), since whoever learned an endpoint
 * could otherwise take over its owner's notifications. A browser shared by
 * two accounts unsubscribes and subscribes again, which gives a new endpoint.
 */
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { pushSubscriptions } from "../../db/schema/notifications.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { fromBase64Url } from "./crypto/bytes.ts";
import { NotificationErrors } from "./errors.ts";

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** Push services of the browsers in use (Chrome/Edge via FCM, Firefox, Safari, Windows). */
const PUSH_SERVICE_HOSTS = [
  "fcm.googleapis.com",
  "android.googleapis.com",
  "updates.push.services.mozilla.com",
  "push.services.mozilla.com",
  "web.push.apple.com",
  "notify.windows.com",
];

export function isPushServiceUrl(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.port !== "" || url.username || url.password) return false;
  return PUSH_SERVICE_HOSTS.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
}

export interface NewSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export function checkSubscriptionKeys(keys: NewSubscription["keys"]): void {
  const point = fromBase64Url(keys.p256dh);
  if (point.length !== 65 || point[0] !== 4)
    throw new ApiError(
      NotificationErrors.INVALID_PUSH_SUBSCRIPTION,
      "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)",
    );
  if (fromBase64Url(keys.auth).length !== 16)
    throw new ApiError(NotificationErrors.INVALID_PUSH_SUBSCRIPTION, "keys.auth must be 16 bytes (base64url)");
}

export async function registerSubscription(
  db: Queryable,
  userId: string,
  sub: NewSubscription,
  userAgent: string | null,
): Promise<{ row: PushSubscriptionRow; created: boolean }> {
  if (!isPushServiceUrl(sub.endpoint))
    throw new ApiError(NotificationErrors.UNSUPPORTED_PUSH_SERVICE, "The endpoint is not the URL of a known browser push service");
  checkSubscriptionKeys(sub.keys);
  const [row] = await db
    .insert(pushSubscriptions)
    .values({
      id: newId("psub"),
      userId,
      endpoint: sub.endpoint,
      p256dh: sub.keys.p256dh,
      auth: sub.keys.auth,
      userAgent: userAgent?.slice(0, 300) ?? null,
    })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      // Only the owner's own row is refreshed; another user's row is left as it is (no row returned).
      setWhere: eq(pushSubscriptions.userId, userId),
      set: { p256dh: sub.keys.p256dh, auth: sub.keys.auth, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: sql`now()` },
    })
    .returning({ ...getTableColumns(pushSubscriptions), inserted: sql<boolean>`(xmax = 0)` });
  if (!row)
    throw new ApiError(
      NotificationErrors.PUSH_ENDPOINT_TAKEN,
      "This push endpoint is registered to another account; subscribe again for a new one",
    );
  const { inserted, ...rest } = row;
  return { row: rest, created: inserted };
}

/** The subscriptions of these users. */
export function listSubscriptions(db: Queryable, userIds: string[]): Promise<PushSubscriptionRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.userId, userIds)).orderBy(asc(pushSubscriptions.id));
}

export async function removeSubscription(db: Queryable, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** The push service said the subscription no longer exists (404/410). */
export async function forgetEndpoint(db: Queryable, endpoint: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
}

/**
 * In one round trip: the push subscriptions of `userIds` (unless `withPush`
 * is false) and which of `hashes` (mail and SMS recipients) are suppressed.
 * Push endpoints are never suppressed: a dead subscription is deleted instead.
 */
export async function loadReach(db: Queryable, userIds: string[], hashes: string[], withPush: boolean) {
  const rows = await db.execute<{
    kind: "push" | "suppressed";
    id: string | null;
    user_id: string | null;
    endpoint: string | null;
    p256dh: string | null;
    auth: string | null;
    channel: string | null;
    hash: string | null;
  }>(sql`
    select 'push' as kind, id, user_id, endpoint, p256dh, auth, null as channel, null as hash
      from notifications.push_subscriptions where ${withPush} and user_id = any(${sql.param(userIds)}::text[])
    union all
    select 'suppressed', null, null, null, null, null, channel, recipient_hash
      from notifications.suppressions where recipient_hash = any(${sql.param(hashes)}::text[])`);
  const push = rows.rows
    .filter((r) => r.kind === "push")
    .map((r) => ({ id: r.id!, userId: r.user_id!, endpoint: r.endpoint!, p256dh: r.p256dh!, auth: r.auth! }));
  const suppressed = new Set(rows.rows.filter((r) => r.kind === "suppressed").map((r) => `${r.channel}:${r.hash}`));
  return { push, suppressed };
}
