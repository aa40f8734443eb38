/**
 * Posting is throttled per user: a burst of POST_BURST reviews, then 429
 * with Retry-After. Racing posts cannot exceed the burst, and posts that
 * write nothing do not use up the allowance.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { activeProduct, post, postReview, reviewBody, shopper } from "./test-fixtures.ts";
import { POST_BURST, POST_INTERVAL_SECONDS } from "./throttle.ts";

const products = (n: number) => Promise.all(Array.from({ length: n }, () => activeProduct()));

describe("posting throttle", () => {
  it(`allows ${POST_BURST} reviews in a row, then answers 429 with Retry-After, per user`, async () => {
    const ids = await products(POST_BURST + 1);
    const user = await shopper();
    for (const id of ids.slice(0, POST_BURST)) await postReview(user, id, 4);
    const refused = await post(user, reviewBody(ids[POST_BURST]!));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(POST_INTERVAL_SECONDS - 60);
    expect(retryAfter).toBeLessThanOrEqual(POST_INTERVAL_SECONDS);
    expect(((await refused.json()) as { code: string }).code).toBe("RATE_LIMITED");
    // Someone else is not affected.
    expect((await post(await shopper(), reviewBody(ids[POST_BURST]!))).status).toBe(201);

    // Once an interval has passed (the allowance moved back in time), one more post is allowed, and only one.
    await withTestDb((db) =>
      db.execute(
        sql`update reviews.post_allowance set tat = tat - make_interval(secs => ${POST_INTERVAL_SECONDS}) where user_id = ${user.userId}`,
      ),
    );
    expect((await post(user, reviewBody(ids[POST_BURST]!))).status).toBe(201);
    expect((await post(user, reviewBody(await activeProduct()))).status).toBe(429);
  });

  it("never lets racing posts through beyond the burst", async () => {
    const ids = await products(POST_BURST + 3);
    const user = await shopper();
    const results = await Promise.all(ids.map((id) => post(user, reviewBody(id))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(POST_BURST);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  });

  it("counts only posts that wrote a review", async () => {
    const ids = await products(POST_BURST);
    const user = await shopper();
    await postReview(user, ids[0]!, 4);
    // Duplicates and unknown products fail after the allowance was taken: their transactions give it back.
    for (let i = 0; i < POST_BURST + 2; i++) expect((await post(user, reviewBody(ids[0]!))).status).toBe(409);
    expect((await post(user, reviewBody("prd_00000000000000000000000000"))).status).toBe(404);
    for (const id of ids.slice(1)) expect((await post(user, reviewBody(id))).status).toBe(201);
  });
});
