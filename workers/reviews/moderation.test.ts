/**
 * Moderation paths: moderators approve and reject held reviews, abuse
 * reports from distinct customers send a published review back to
 * moderation exactly once (also when they race), and a decision resolves
 * the reports.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import type { TestUser } from "../../test/helpers/identity.ts";
import { REPORT_THRESHOLD } from "./moderation.ts";
import {
  activeProduct,
  eventsAbout,
  expectConsistent,
  json,
  moderate,
  postReview,
  type ReviewBody,
  ratingOf,
  shopper,
} from "./test-fixtures.ts";

const report = (reviewId: string, user: TestUser, reason = "spam") =>
  api(`/api/reviews/${reviewId}/reports`, { method: "POST", token: user.accessToken, json: { reason } });
const eq = (a: unknown, b: unknown) => expect(a).toEqual(b);

describe("moderators' decisions", () => {
  it("approves a held review into the rating and rejects it out again", async () => {
    const productId = await activeProduct();
    const review = await postReview(await shopper({ ageDays: 1 }), productId, 2);
    expect(review.status).toBe("pending");
    const support = await shopper({ role: "support" });

    const approved = await json<ReviewBody>(
      await api(`/api/reviews/${review.id}/moderation`, {
        method: "POST",
        token: support.accessToken,
        json: { decision: "approve", note: "checked" },
      }),
      200,
    );
    expect(approved).toMatchObject({ status: "approved", moderation: { heldFor: [], note: "checked" } });
    expect(approved.moderation!.moderatedAt).not.toBeNull();
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 1, average: 2 });
    expect((await api(`/api/reviews/${review.id}`, { token: null })).status).toBe(200);

    // The same decision again changes nothing and announces nothing.
    await json(await moderate(review.id, "approve"), 200);
    expect(await eventsAbout(review.id, "ReviewModerated")).toHaveLength(1);

    const rejected = await json<ReviewBody>(await moderate(review.id, "reject"), 200);
    expect(rejected.status).toBe("rejected");
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 0, average: 0 });
    expect((await api(`/api/reviews/${review.id}`, { token: null })).status).toBe(404);
    const moderated = await eventsAbout<{ from: string; to: string; by: string; productRating: { count: number; version: number } }>(
      review.id,
      "ReviewModerated",
    );
    expect(moderated.map((e) => [e.payload.from, e.payload.to, e.payload.by, e.payload.productRating.count])).toEqual([
      ["pending", "approved", "moderator", 1],
      ["approved", "rejected", "moderator", 0],
    ]);
    expect(moderated[1]!.payload.productRating.version).toBeGreaterThan(moderated[0]!.payload.productRating.version);
    expect(moderated[0]!.actor).toEqual({ type: "user", id: support.userId });
  });

  it("is for moderators only", async () => {
    const review = await postReview(await shopper({ ageDays: 0 }), await activeProduct(), 3);
    const customer = await shopper();
    const analyst = await shopper({ role: "analyst" });
    expect((await moderate(review.id, "approve", customer.accessToken)).status).toBe(403);
    expect((await moderate(review.id, "approve", analyst.accessToken)).status).toBe(403);
    expect((await api(`/api/reviews/${review.id}/moderation`, { method: "POST", token: null, json: { decision: "approve" } })).status).toBe(
      401,
    );
    expect((await api(`/api/reviews/${review.id}/moderation`, { method: "POST", json: { decision: "maybe" } })).status).toBe(422);
    expect((await moderate("rev_00000000000000000000000000", "approve")).status).toBe(404);
    expect((await api(`/api/reviews/${review.id}`, { token: customer.accessToken })).status).toBe(404);
  });
});

describe("abuse reports", () => {
  it(`sends a published review back to moderation after ${REPORT_THRESHOLD} distinct reporters, once, when they race`, async () => {
    const productId = await activeProduct();
    const author = await shopper();
    const review = await postReview(author, productId, 5);
    const reporters = await Promise.all(Array.from({ length: REPORT_THRESHOLD + 1 }, () => shopper()));

    // Reporting one's own review, or twice, is refused.
    expect((await report(review.id, author)).status).toBe(403);
    expect((await report(review.id, reporters[0]!, "offensive")).status).toBe(201);
    const twice = await report(review.id, reporters[0]!);
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { code: string }).code).toBe("ALREADY_REPORTED");
    expect((await ratingOf(productId)).count).toBe(1);

    // The rest race: the threshold is crossed by one of them; the last one finds the review gone from public view.
    const results = await Promise.all(reporters.slice(1).map((r) => report(review.id, r, "offensive")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 404]);
    const flagged = await eventsAbout<{ reason: string; flaggedBy: string; flagCount: number }>(review.id, "ReviewFlagged");
    expect(flagged.map((e) => e.payload)).toEqual([
      { reviewId: review.id, productId, authorId: author.userId, reason: "offensive", flaggedBy: "customer", flagCount: REPORT_THRESHOLD },
    ]);
    const moderated = await eventsAbout<{ from: string; to: string; by: string }>(review.id, "ReviewModerated");
    expect(moderated.map((e) => [e.payload.from, e.payload.to, e.payload.by])).toEqual([["approved", "pending", "reports"]]);
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 0 });
    const held = await json<ReviewBody>(await api(`/api/reviews/${review.id}`), 200);
    expect(held).toMatchObject({ status: "pending", moderation: { heldFor: ["reports"], openReports: REPORT_THRESHOLD } });

    // Moderators read the reports; approving resolves them, so earlier reporters cannot pull it again.
    const listed = await json<{ items: { reason: string; resolved: boolean }[] }>(await api(`/api/reviews/${review.id}/reports`), 200);
    expect(listed.items).toHaveLength(REPORT_THRESHOLD);
    expect((await api(`/api/reviews/${review.id}/reports`, { token: reporters[0]!.accessToken })).status).toBe(403);
    const back = await json<ReviewBody>(await moderate(review.id, "approve"), 200);
    expect(back).toMatchObject({ status: "approved", moderation: { openReports: 0 } });
    expect(
      (await json<{ items: { resolved: boolean }[] }>(await api(`/api/reviews/${review.id}/reports`), 200)).items.every((r) => r.resolved),
    ).toBe(true);
    expect((await report(review.id, reporters[0]!)).status).toBe(409);
    expect((await report(review.id, await shopper())).status).toBe(201);
    expect((await json<ReviewBody>(await api(`/api/reviews/${review.id}`), 200)).status).toBe("approved");
    expect(await expectConsistent(productId, eq)).toMatchObject({ count: 1, average: 5 });
  });

  it("accepts reports only on published reviews", async () => {
    const review = await postReview(await shopper({ ageDays: 0 }), await activeProduct(), 3);
    expect((await report(review.id, await shopper())).status).toBe(404);
    expect((await api(`/api/reviews/${review.id}/reports`, { method: "POST", token: null, json: { reason: "spam" } })).status).toBe(401);
    const admin = await shopper({ role: "admin" });
    expect((await report(review.id, admin)).status).toBe(409);
  });
});
