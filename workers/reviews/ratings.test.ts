/**
 * A product's rating (average, count, histogram) is kept by increments;
 * after posts, edits, deletes, moderation and reports, also racing, it must
 * equal a direct recount of the approved reviews. The figures reach the
 * catalogue's rating columns and the search projection through the events,
 * and a late, older event never overwrites newer figures there.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ProductRatingSummary, ReviewModerated } from "../../queues/contracts/events/review.ts";
import { withTestDb } from "../../test/helpers/db.ts";
import { processedBy } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import {
  activeProduct,
  deliver,
  event,
  eventsAbout,
  expectConsistent,
  json,
  moderate,
  post,
  postReview,
  ratingOf,
  reviewBody,
  shopper,
} from "./test-fixtures.ts";

const eq = (a: unknown, b: unknown) => expect(a).toEqual(b);
const patch = (id: string, token: string, body: unknown) => api(`/api/reviews/${id}`, { method: "PATCH", token, json: body });

describe("rating aggregate", () => {
  it("equals a recount after every kind of change", async () => {
    const productId = await activeProduct();
    const users = await Promise.all([shopper(), shopper(), shopper(), shopper(), shopper({ ageDays: 0 })]);
    const [a, b, c, d, fresh] = users;
    const ra = await postReview(a!, productId, 5);
    const rb = await postReview(b!, productId, 3);
    const rc = await postReview(c!, productId, 1);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 3, average: 3, histogram: { 1: 1, 2: 0, 3: 1, 4: 0, 5: 1 } });

    const rf = await postReview(fresh!, productId, 2);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 3 });
    await json(await patch(rb.id, b!.accessToken, { rating: 4 }), 200);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 3, histogram: { 3: 0, 4: 1 } });
    await json(await moderate(rf.id, "approve"), 200);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 4, average: 3 });
    // A pending review's rating edit moves nothing; approving it later counts its new stars.
    await json(await patch(rf.id, fresh!.accessToken, { body: "Changed my mind, this is spam: visit www.cheap-things.xyz" }), 200);
    await json(await patch(rf.id, fresh!.accessToken, { rating: 5 }), 200);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 3 });
    await json(await moderate(rf.id, "approve"), 200);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 4, histogram: { 2: 0, 5: 2 } });
    await json(await moderate(rc.id, "reject"), 200);
    expect((await api(`/api/reviews/${ra.id}`, { method: "DELETE", token: a!.accessToken })).status).toBe(204);
    const rd = await postReview(d!, productId, 2);
    await json(await moderate(rd.id, "reject"), 200);
    await json(await moderate(rd.id, "approve"), 200);
    const final = await expectConsistent(productId, eq);
    expect(final).toMatchObject({ count: 3, histogram: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 }, average: 3.67 });
    // Every change of the figures had its own version, and the last event carries the final figures.
    const events = (await Promise.all([ra, rb, rc, rf, rd].map((r) => eventsAbout<{ productRating: ProductRatingSummary }>(r.id))))
      .flat()
      .filter((e) => e.payload.productRating);
    const last = events.reduce((x, y) => (y.payload.productRating.version > x.payload.productRating.version ? y : x));
    expect(last.payload.productRating).toEqual(final);
  });

  it("equals a recount after racing posts, edits, votes, moderation and deletes", async () => {
    const productId = await activeProduct();
    const users = await Promise.all(Array.from({ length: 8 }, () => shopper()));
    const posted = await Promise.all(users.map((u, i) => post(u, reviewBody(productId, (i % 5) + 1))));
    expect(posted.every((r) => r.status === 201)).toBe(true);
    const reviews = await Promise.all(posted.map((r) => r.json() as Promise<{ id: string }>));
    await Promise.all([
      ...users.slice(0, 3).map((u, i) => patch(reviews[i]!.id, u.accessToken, { rating: 5 - i })),
      moderate(reviews[3]!.id, "reject"),
      moderate(reviews[4]!.id, "reject"),
      api(`/api/reviews/${reviews[5]!.id}`, { method: "DELETE", token: users[5]!.accessToken }),
      patch(reviews[6]!.id, users[6]!.accessToken, { rating: 1 }),
      moderate(reviews[6]!.id, "reject"),
      api(`/api/reviews/${reviews[7]!.id}/vote`, { method: "PUT", token: users[0]!.accessToken, json: { helpful: true } }),
    ]);
    const rating = await expectConsistent(productId, eq);
    expect(rating.count).toBe(4);
    const stored = await withTestDb(
      async (db) =>
        (await db.execute<{ version: number }>(sql`select version from reviews.product_ratings where product_id = ${productId}`)).rows[0]!,
    );
    expect(stored.version).toBe(rating.version);
  });
});

describe("feeding the catalogue and search", () => {
  it("brings a product's rating to its catalogue entry and its search document", async () => {
    const productId = await activeProduct();
    const [a, b] = await Promise.all([shopper(), shopper()]);
    await postReview(a, productId, 5);
    const second = await postReview(b, productId, 2);
    const expected = await ratingOf(productId);
    expect(expected).toMatchObject({ count: 2, average: 3.5 });

    const catalogued = await eventually(
      async () => {
        const body = await json<{ rating: { average: number; count: number } }>(await api(`/api/products/${productId}`), 200);
        return body.rating.count === 2 ? body.rating : undefined;
      },
      15_000,
      "the catalogue to show the rating",
    );
    expect(catalogued).toEqual({ average: 3.5, count: 2 });
    const searched = await eventually(
      async () => {
        const row = await withTestDb(
          async (db) =>
            (
              await db.execute<{ rating_average: number; rating_count: number; rating_version: number }>(
                sql`select rating_average, rating_count, rating_version from search.documents where product_id = ${productId}`,
              )
            ).rows[0],
        );
        return row && row.rating_count === 2 ? row : undefined;
      },
      15_000,
      "the search projection to hold the rating",
    );
    expect(searched).toMatchObject({ rating_average: 3.5, rating_version: expected.version });

    // An older event delivered late (a replay) changes neither; a newer one changes both.
    const [created] = await eventsAbout<{ productRating: ProductRatingSummary }>(second.id, "ReviewCreated");
    const stale = event(ReviewModerated, second.id, {
      reviewId: second.id,
      productId,
      authorId: b.userId,
      rating: 2,
      from: "pending",
      to: "approved",
      by: "moderator",
      productRating: {
        ...created!.payload.productRating,
        version: expected.version - 1,
        count: 1,
        average: 5,
        histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 },
      },
    });
    expect(await deliver("pipeline-events", [stale])).toEqual({ acked: 1, retried: 0 });
    expect(await deliver("search-events", [stale])).toEqual({ acked: 1, retried: 0 });
    expect((await json<{ rating: unknown }>(await api(`/api/products/${productId}`), 200)).rating).toEqual({ average: 3.5, count: 2 });
    const newer = { ...expected, version: expected.version + 100, average: 4.25, count: 4 };
    const fresh = event(ReviewModerated, second.id, {
      reviewId: second.id,
      productId,
      authorId: b.userId,
      rating: 2,
      from: "pending",
      to: "approved",
      by: "moderator",
      productRating: newer,
    });
    // Delivered twice: the second copy is a duplicate for both consumers.
    await deliver("pipeline-events", [fresh, fresh]);
    await deliver("search-events", [fresh]);
    expect((await json<{ rating: unknown }>(await api(`/api/products/${productId}`), 200)).rating).toEqual({ average: 4.25, count: 4 });
    expect(await processedBy("search", fresh.id)).toBe(true);
    const doc = await withTestDb(
      async (db) =>
        (
          await db.execute<{ rating_average: number; rating_version: number }>(
            sql`select rating_average, rating_version from search.documents where product_id = ${productId}`,
          )
        ).rows[0]!,
    );
    expect(doc).toEqual({ rating_average: 4.25, rating_version: newer.version });
  });

  it("leaves projections alone for a product that never had an approved review", async () => {
    const productId = newId("prd");
    const e = event(ReviewModerated, newId("rev"), {
      reviewId: newId("rev"),
      productId,
      authorId: newId("usr"),
      rating: 3,
      from: "approved",
      to: "rejected",
      by: "moderator",
      productRating: { productId, average: 0, count: 0, histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, version: 0 },
    });
    await deliver("search-events", [e]);
    await deliver("pipeline-events", [e]);
    const rows = await withTestDb(
      async (db) =>
        (
          await db.execute(
            sql`select 1 from search.documents where product_id = ${productId} union all select 1 from reviews.rating_feeds where product_id = ${productId}`,
          )
        ).rows,
    );
    expect(rows).toEqual([]);
  });
});
