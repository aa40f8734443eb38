/**
 * Writing and reading reviews over HTTP: one review per user and product
 * (also when two posts race), validation, edits and deletes of one's own
 * review only, who sees unpublished reviews, and sorted, paginated lists.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { newProduct } from "../products/test-fixtures.ts";
import {
  activeProduct,
  eventsAbout,
  json,
  moderate,
  type PageBody,
  post,
  postReview,
  type ReviewBody,
  reviewBody,
  shopper,
} from "./test-fixtures.ts";

const list = async (query: string, token: string | null = null) => json<PageBody>(await api(`/api/reviews?${query}`, { token }), 200);

describe("posting", () => {
  it("publishes an established customer's review at once and announces it with the product's new rating", async () => {
    const productId = await activeProduct();
    const ada = await shopper({ name: "Ada Lovelace" });
    const review = await postReview(ada, productId, 5, { title: "  Lovely  " });
    expect(review).toMatchObject({
      productId,
      userId: ada.userId,
      rating: 5,
      title: "Lovely",
      status: "approved",
      authorName: "Ada L.",
      verifiedPurchase: false,
      helpfulCount: 0,
    });
    expect(review.moderation).toEqual({ heldFor: [], note: null, moderatedAt: null, openReports: null });
    const [created] = await eventsAbout<{ status: string; productRating: { count: number; average: number; version: number } }>(
      review.id,
      "ReviewCreated",
    );
    expect(created!.payload.status).toBe("approved");
    expect(created!.payload.productRating).toMatchObject({ count: 1, average: 5, version: 1 });
    expect(created!.actor).toEqual({ type: "user", id: ada.userId });
    // The public sees it, without the moderation details.
    const [shown] = (await list(`productId=${productId}`)).items;
    expect(shown).toMatchObject({ id: review.id, moderation: null });
  });

  it("holds reviews of new accounts and reviews with flagged words for moderation", async () => {
    const productId = await activeProduct();
    const fresh = await shopper({ ageDays: 0 });
    const held = await postReview(fresh, productId, 2);
    expect(held.status).toBe("pending");
    expect(held.moderation!.heldFor).toEqual(["new_account"]);
    expect(await eventsAbout(held.id, "ReviewFlagged")).toHaveLength(0);

    const rude = await shopper();
    const flagged = await postReview(rude, productId, 1, { body: "Total sh1t, broke on day two." });
    expect(flagged.status).toBe("pending");
    expect(flagged.moderation!.heldFor).toEqual(["offensive"]);
    const [flag] = await eventsAbout<{ reason: string; flaggedBy: string; flagCount: number }>(flagged.id, "ReviewFlagged");
    expect(flag!.payload).toMatchObject({ reason: "offensive", flaggedBy: "automatic", flagCount: 1 });
    // Neither is public, and neither counts in the rating.
    expect((await list(`productId=${productId}`)).items).toEqual([]);
    expect((await json<{ count: number }>(await api(`/api/reviews/ratings/${productId}`, { token: null }), 200)).count).toBe(0);
  });

  it("allows one review per user and product, also when two posts race", async () => {
    const productId = await activeProduct();
    const user = await shopper();
    const [a, b] = await Promise.all([post(user, reviewBody(productId, 4)), post(user, reviewBody(productId, 2))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = [a, b].find((r) => r.status === 409)!;
    expect(((await loser.json()) as { code: string }).code).toBe("REVIEW_EXISTS");
    expect((await list(`productId=${productId}&userId=${user.userId}&status=all`, user.accessToken)).items).toHaveLength(1);
    // Another user may review the same product.
    await postReview(await shopper(), productId, 3);
    expect((await list(`productId=${productId}`)).items).toHaveLength(2);
  });

  it("refuses invalid reviews naming the field, and products that are not for sale", async () => {
    const user = await shopper();
    const productId = await activeProduct();
    const cases: [unknown, string][] = [
      [reviewBody(productId, 0), "rating"],
      [reviewBody(productId, 6), "rating"],
      [reviewBody(productId, 4.5), "rating"],
      [reviewBody(productId, 4, { body: "too short" }), "body"],
      [reviewBody(productId, 4, { body: "x".repeat(5001) }), "body"],
      [reviewBody(productId, 4, { title: "t".repeat(121) }), "title"],
      [reviewBody(productId, 4, { body: "fine text \u0007 bell" }), "body"],
      [reviewBody(productId, 4, { status: "approved" }), ""],
      [reviewBody("prd_nope", 4), "productId"],
    ];
    for (const [body, field] of cases) {
      const res = await post(user, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      const problem = (await res.json()) as { errors: { field: string }[] };
      if (field) expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const draft = await newProduct({ status: "draft" });
    expect((await post(user, reviewBody(draft.id))).status).toBe(404);
    expect((await post(user, reviewBody("prd_00000000000000000000000000"))).status).toBe(404);
    expect((await list(`userId=${user.userId}&status=all`, user.accessToken)).items).toEqual([]);
  });
});

describe("editing and deleting", () => {
  it("lets the author edit, screens new text again, and refuses everyone else", async () => {
    const productId = await activeProduct();
    const author = await shopper();
    const other = await shopper();
    const review = await postReview(author, productId, 3);

    const edited = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}`, { method: "PATCH", token: author.accessToken, json: { rating: 4, title: null } }),
      200,
    );
    expect(edited).toMatchObject({ rating: 4, title: null, status: "approved", version: 2 });
    const [updated] = await eventsAbout<{ changed: string[]; previousRating: number; productRating: { average: number } }>(
      review.id,
      "ReviewUpdated",
    );
    expect(updated!.payload).toMatchObject({ changed: ["rating", "title"], previousRating: 3, productRating: { average: 4 } });

    // Another customer sees the published review but may not change it; on a hidden one they get 404.
    const foreign = await api(`/api/reviews/${review.id}`, { method: "PATCH", token: other.accessToken, json: { rating: 1 } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { code: string }).code).toBe("NOT_REVIEW_AUTHOR");
    expect((await api(`/api/reviews/${review.id}`, { method: "DELETE", token: other.accessToken })).status).toBe(403);
    const support = await shopper({ role: "support" });
    expect((await api(`/api/reviews/${review.id}`, { method: "PATCH", token: support.accessToken, json: { rating: 1 } })).status).toBe(403);

    // New text with a link goes back to moderation, and the rating loses it.
    const spam = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}`, {
        method: "PATCH",
        token: author.accessToken,
        json: { body: "Cheaper at www.deals-galore.biz today" },
      }),
      200,
    );
    expect(spam).toMatchObject({ status: "pending", moderation: { heldFor: ["spam"] } });
    expect((await api(`/api/reviews/${review.id}`, { method: "PATCH", token: other.accessToken, json: { rating: 1 } })).status).toBe(404);
    expect((await api(`/api/reviews/${review.id}`, { method: "DELETE", token: other.accessToken })).status).toBe(404);
    expect((await json<{ count: number }>(await api(`/api/reviews/ratings/${productId}`), 200)).count).toBe(0);

    // Clean text again: published, since only screening held it.
    const clean = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}`, {
        method: "PATCH",
        token: author.accessToken,
        json: { body: "Works well after all; happy with it." },
      }),
      200,
    );
    expect(clean.status).toBe("approved");
    // An edit that changes nothing writes nothing.
    const same = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}`, { method: "PATCH", token: author.accessToken, json: { rating: 4 } }),
      200,
    );
    expect(same.version).toBe(clean.version);
    expect(await eventsAbout(review.id, "ReviewUpdated")).toHaveLength(3);
  });

  it("sends an edited rejected review back to moderation", async () => {
    const author = await shopper();
    const review = await postReview(author, await activeProduct(), 2);
    await json(await moderate(review.id, "reject"), 200);
    const edited = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}`, {
        method: "PATCH",
        token: author.accessToken,
        json: { body: "Rewritten without the bits the shop did not like." },
      }),
      200,
    );
    expect(edited).toMatchObject({ status: "pending", moderation: { heldFor: ["resubmitted"] } });
  });

  it("lets the author and administrators delete, and the author post again afterwards", async () => {
    const productId = await activeProduct();
    const author = await shopper();
    const review = await postReview(author, productId, 5);
    expect((await api(`/api/reviews/${review.id}`, { method: "DELETE", token: author.accessToken })).status).toBe(204);
    expect((await api(`/api/reviews/${review.id}`)).status).toBe(404);
    const [deleted] = await eventsAbout<{ deletedBy: string; productRating: { count: number } }>(review.id, "ReviewDeleted");
    expect(deleted!.payload).toMatchObject({ deletedBy: "author", productRating: { count: 0 } });

    const again = await postReview(author, productId, 4);
    const admin = await shopper({ role: "admin" });
    expect((await api(`/api/reviews/${again.id}`, { method: "DELETE", token: admin.accessToken })).status).toBe(204);
    expect((await eventsAbout<{ deletedBy: string }>(again.id, "ReviewDeleted"))[0]!.payload.deletedBy).toBe("admin");
    expect((await api(`/api/reviews/${again.id}`, { method: "DELETE", token: author.accessToken })).status).toBe(404);
  });
});

describe("reading", () => {
  it("shows unpublished reviews only to their author and moderators", async () => {
    const productId = await activeProduct();
    const author = await shopper({ ageDays: 0 });
    const review = await postReview(author, productId, 4);
    expect(review.status).toBe("pending");
    const stranger = await shopper();
    const support = await shopper({ role: "support" });
    const analyst = await shopper({ role: "analyst" });

    expect((await api(`/api/reviews/${review.id}`, { token: null })).status).toBe(404);
    expect((await api(`/api/reviews/${review.id}`, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`/api/reviews/${review.id}`, { token: analyst.accessToken })).status).toBe(404);
    expect(
      (await json<ReviewBody>(await api(`/api/reviews/${review.id}`, { token: author.accessToken }), 200)).moderation!.openReports,
    ).toBeNull();
    expect(
      (await json<ReviewBody>(await api(`/api/reviews/${review.id}`, { token: support.accessToken }), 200)).moderation!.openReports,
    ).toBe(0);

    expect((await list(`userId=${author.userId}`)).items).toEqual([]);
    expect((await list(`userId=${author.userId}&status=pending`, author.accessToken)).items.map((r) => r.id)).toEqual([review.id]);
    expect((await api(`/api/reviews?userId=${author.userId}&status=pending`, { token: stranger.accessToken })).status).toBe(403);
    expect((await api(`/api/reviews?productId=${productId}&status=pending`, { token: null })).status).toBe(401);
    expect((await list(`productId=${productId}&status=pending`, support.accessToken)).items.map((r) => r.id)).toEqual([review.id]);
    // The moderation queue, oldest first, holds it.
    const queue = await list(`status=pending&sort=oldest&limit=100`, support.accessToken);
    expect(queue.items.every((r) => r.status === "pending")).toBe(true);
    expect((await api(`/api/reviews`, { token: stranger.accessToken })).status).toBe(422);
  });

  it("sorts by newest, rating and helpfulness and pages through every review exactly once", async () => {
    const productId = await activeProduct();
    const ratings = [3, 5, 1, 5, 4, 2, 3];
    const reviews: ReviewBody[] = [];
    for (const rating of ratings) reviews.push(await postReview(await shopper(), productId, rating));
    // Helpful votes: review 2 gets two, review 4 one.
    const voters = [await shopper(), await shopper()];
    for (const [i, voter] of [
      [2, voters[0]],
      [2, voters[1]],
      [4, voters[0]],
    ] as const) {
      expect(
        (await api(`/api/reviews/${reviews[i]!.id}/vote`, { method: "PUT", token: voter!.accessToken, json: { helpful: true } })).status,
      ).toBe(200);
    }

    const walk = async (sort: string, limit: number) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: PageBody = await list(`productId=${productId}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        ids.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const byId = [...reviews].sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(await walk("newest", 3)).toEqual(byId.map((r) => r.id));
    expect(await walk("oldest", 2)).toEqual([...byId].reverse().map((r) => r.id));
    const desc = [...reviews].sort((a, b) => b.rating - a.rating || (a.id < b.id ? 1 : -1));
    expect(await walk("rating_desc", 2)).toEqual(desc.map((r) => r.id));
    const asc = [...reviews].sort((a, b) => a.rating - b.rating || (a.id < b.id ? 1 : -1));
    expect(await walk("rating_asc", 4)).toEqual(asc.map((r) => r.id));
    const helpful = await walk("helpful", 2);
    expect(helpful.slice(0, 2)).toEqual([reviews[2]!.id, reviews[4]!.id]);
    expect(new Set(helpful).size).toBe(ratings.length);
    expect((await list(`productId=${productId}&stars=5`)).items.map((r) => r.rating)).toEqual([5, 5]);

    // A cursor belongs to its sort order.
    const first = await list(`productId=${productId}&sort=newest&limit=2`);
    const wrong = await api(`/api/reviews?productId=${productId}&sort=helpful&cursor=${first.nextCursor}`);
    expect(wrong.status).toBe(422);
    expect((await api(`/api/reviews?productId=${productId}&limit=101`)).status).toBe(422);
  });
});
