/**
 * Posting throttle: at most POST_BURST reviews at once per user, then one
 * every POST_INTERVAL_SECONDS (a generic cell rate, one row per user).
 *
 * It lives in Postgres rather than a Durable Object because a post is a
 * Postgres transaction anyway: taking the allowance is one more statement in
 * it, with no extra hop. The row's lock serialises one user's racing posts,
 * so a burst can never exceed the limit, and a post that fails (a duplicate,
 * an unknown product) rolls its allowance back with it: only reviews that
 * were written are counted.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";

export const POST_BURST = 5;
export const POST_INTERVAL_SECONDS = 12 * 60;

export async function takePostAllowance(tx: Queryable, userId: string): Promise<void> {
  const interval = sql`make_interval(secs => ${POST_INTERVAL_SECONDS})`;
  const taken = await tx.execute(sql`
    insert into reviews.post_allowance as a (user_id, tat) values (${userId}, now() + ${interval})
    on conflict (user_id) do update set tat = greatest(a.tat, now()) + ${interval}
    where greatest(a.tat, now()) + ${interval} <= now() + ${POST_BURST} * ${interval}
    returning a.tat`);
  if (taken.rows.length > 0) return;
  const wait = await tx.execute<{ seconds: number }>(sql`
    select greatest(1, ceil(extract(epoch from (tat - now() - ${POST_BURST - 1} * ${interval}))))::int as seconds
    from reviews.post_allowance where user_id = ${userId}`);
  const seconds = wait.rows[0]?.seconds ?? POST_INTERVAL_SECONDS;
  throw new ApiError(ErrorCode.RATE_LIMITED, `Too many reviews posted; try again in ${seconds} seconds`, {
    headers: { "retry-after": String(seconds) },
    retryAfterSeconds: seconds,
  });
}
