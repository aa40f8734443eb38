/**
 * Authorization on every route of the reviews family, from one table:
 * anonymous callers, service tokens on routes that act for a customer,
 * other customers, analysts, and moderators.
 */
import { describe, expect, it } from "vitest";
import { api, OPS_TOKEN } from "../../test/helpers/http.ts";
import { activeProduct, postReview, shopper } from "./test-fixtures.ts";

describe("reviews authorization", () => {
  it("guards every route as documented, and every route is in the OpenAPI document", async () => {
    const productId = await activeProduct();
    const author = await shopper();
    const review = await postReview(author, productId, 4);
    const [customer, analyst, support] = await Promise.all([shopper(), shopper({ role: "analyst" }), shopper({ role: "support" })]);
    const id = review.id;

    type Case = [method: string, path: string, body: unknown, expectations: [string | null, number][]];
    const cases: Case[] = [
      [
        "GET",
        `/api/reviews?productId=${productId}`,
        undefined,
        [
          [null, 200],
          [customer.accessToken, 200],
        ],
      ],
      ["GET", `/api/reviews/ratings/${productId}`, undefined, [[null, 200]]],
      ["GET", `/api/reviews/${id}`, undefined, [[null, 200]]],
      [
        "POST",
        "/api/reviews",
        { productId, rating: 5, body: "Another opinion on it." },
        [
          [null, 401],
          [OPS_TOKEN, 403],
        ],
      ],
      [
        "PATCH",
        `/api/reviews/${id}`,
        { rating: 1 },
        [
          [null, 401],
          [OPS_TOKEN, 403],
          [customer.accessToken, 403],
          [support.accessToken, 403],
        ],
      ],
      [
        "DELETE",
        `/api/reviews/${id}`,
        undefined,
        [
          [null, 401],
          [customer.accessToken, 403],
          [analyst.accessToken, 403],
          [support.accessToken, 403],
        ],
      ],
      [
        "PUT",
        `/api/reviews/${id}/vote`,
        { helpful: true },
        [
          [null, 401],
          [OPS_TOKEN, 403],
          [author.accessToken, 403],
          [customer.accessToken, 200],
        ],
      ],
      [
        "DELETE",
        `/api/reviews/${id}/vote`,
        undefined,
        [
          [null, 401],
          [OPS_TOKEN, 403],
          [customer.accessToken, 200],
        ],
      ],
      [
        "POST",
        `/api/reviews/${id}/reports`,
        { reason: "other" },
        [
          [null, 401],
          [OPS_TOKEN, 403],
          [author.accessToken, 403],
        ],
      ],
      [
        "GET",
        `/api/reviews/${id}/reports`,
        undefined,
        [
          [null, 401],
          [customer.accessToken, 403],
          [analyst.accessToken, 403],
          [support.accessToken, 200],
          [OPS_TOKEN, 200],
        ],
      ],
      [
        "POST",
        `/api/reviews/${id}/moderation`,
        { decision: "approve" },
        [
          [null, 401],
          [customer.accessToken, 403],
          [author.accessToken, 403],
          [analyst.accessToken, 403],
          [support.accessToken, 200],
        ],
      ],
    ];
    for (const [method, path, body, expectations] of cases) {
      for (const [token, status] of expectations) {
        const res = await api(path, { method, token, json: body });
        expect(res.status, `${method} ${path} as ${token === null ? "anonymous" : token === OPS_TOKEN ? "service" : "user"}`).toBe(status);
        if (status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    }
    // The review is unchanged by the refused writes.
    expect(((await (await api(`/api/reviews/${id}`)).json()) as { rating: number }).rating).toBe(4);

    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/reviews"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/reviews/{id}"]!).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/api/reviews/{id}/vote"]!).sort()).toEqual(["delete", "put"]);
    expect(Object.keys(doc.paths["/api/reviews/{id}/reports"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/reviews/{id}/moderation"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/reviews/ratings/{productId}"]!)).toEqual(["get"]);
  });
});
