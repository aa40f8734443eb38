/**
 * Helpful votes: one per user, never on one's own review, changeable and
 * withdrawable, with counters that stay exact when many users vote at once.
 */

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import type { TestUser } from "../../test/helpers/identity.ts";
import { activeProduct, json, postReview, type ReviewBody, shopper } from "./test-fixtures.ts";
import { voteDelta } from "./votes.ts";

type Vote = { reviewId: string; helpful: boolean | null; helpfulCount: number; notHelpfulCount: number };
const vote = (reviewId: string, user: TestUser | null, helpful: boolean) =>
  api(`/api/reviews/${reviewId}/vote`, { method: "PUT", token: user ? user.accessToken : null, json: { helpful } });
const unvote = (reviewId: string, user: TestUser) => api(`/api/reviews/${reviewId}/vote`, { method: "DELETE", token: user.accessToken });

describe("vote deltas", () => {
  it("moves each counter by the change of one vote", () => {
    expect(voteDelta(null, true)).toEqual({ helpful: 1, notHelpful: 0 });
    expect(voteDelta(true, false)).toEqual({ helpful: -1, notHelpful: 1 });
    expect(voteDelta(false, false)).toEqual({ helpful: 0, notHelpful: 0 });
    expect(voteDelta(false, null)).toEqual({ helpful: 0, notHelpful: -1 });
  });
});

describe("helpful votes", () => {
  it("counts one vote per user, lets it change and be withdrawn, and refuses votes on one's own review", async () => {
    const author = await shopper();
    const review = await postReview(author, await activeProduct(), 4);
    const voter = await shopper();

    const own = await vote(review.id, author, true);
    expect(own.status).toBe(403);
    expect(((await own.json()) as { code: string }).code).toBe("OWN_REVIEW");
    expect((await vote(review.id, null, true)).status).toBe(401);
    expect((await api(`/api/reviews/${review.id}/vote`, { method: "PUT", json: { helpful: true } })).status).toBe(403);

    expect(await json<Vote>(await vote(review.id, voter, true), 200)).toEqual({
      reviewId: review.id,
      helpful: true,
      helpfulCount: 1,
      notHelpfulCount: 0,
    });
    expect(await json<Vote>(await vote(review.id, voter, true), 200)).toMatchObject({ helpfulCount: 1, notHelpfulCount: 0 });
    expect(await json<Vote>(await vote(review.id, voter, false), 200)).toMatchObject({
      helpful: false,
      helpfulCount: 0,
      notHelpfulCount: 1,
    });
    expect(await json<Vote>(await unvote(review.id, voter), 200)).toMatchObject({ helpful: null, helpfulCount: 0, notHelpfulCount: 0 });
    expect(await json<Vote>(await unvote(review.id, voter), 200)).toMatchObject({ helpfulCount: 0, notHelpfulCount: 0 });
    expect((await json<ReviewBody>(await api(`/api/reviews/${review.id}`), 200)).helpfulCount).toBe(0);
  });

  it("refuses votes on unpublished reviews and unknown ones", async () => {
    const review = await postReview(await shopper({ ageDays: 0 }), await activeProduct(), 4);
    expect((await vote(review.id, await shopper(), true)).status).toBe(404);
    expect((await vote("rev_00000000000000000000000000", await shopper(), true)).status).toBe(404);
    expect((await vote(review.id, await shopper({ role: "support" }), true)).status).toBe(409);
    expect((await api(`/api/reviews/${review.id}/vote`, { method: "PUT", token: null, json: { helpful: "yes" } })).status).toBe(401);
  });

  it("keeps the counters equal to the votes when users vote and change their votes at once", async () => {
    const review = await postReview(await shopper(), await activeProduct(), 5);
    const voters = await Promise.all(Array.from({ length: 8 }, () => shopper()));
    // Everyone votes helpful at once; then half switch to not helpful while two withdraw, at once.
    await Promise.all(voters.map((v) => vote(review.id, v, true)));
    const second = await Promise.all(
      voters.map((v, i) => (i < 4 ? vote(review.id, v, false) : i < 6 ? unvote(review.id, v) : vote(review.id, v, true))),
    );
    expect(second.every((r) => r.status === 200)).toBe(true);
    const stored = await json<ReviewBody>(await api(`/api/reviews/${review.id}`), 200);
    const counted = await withTestDb(
      async (db) =>
        (
          await db.execute<{ yes: number; no: number }>(
            sql`select count(*) filter (where helpful)::int as yes, count(*) filter (where not helpful)::int as no from reviews.votes where review_id = ${review.id}`,
          )
        ).rows[0]!,
    );
    expect({ helpful: stored.helpfulCount, notHelpful: stored.notHelpfulCount }).toEqual({ helpful: counted.yes, notHelpful: counted.no });
    expect(counted).toEqual({ yes: 2, no: 4 });
  });
});
