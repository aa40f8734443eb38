import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../platform/cursor.ts";
import { ApiError } from "../platform/errors.ts";
import { contentHash, expectedVersion, ifNoneMatchHits, versionedEtag, versionsInIfMatch } from "./etag.ts";

describe("entity tags", () => {
  it("hashes content into a stable strong tag", async () => {
    const h = await contentHash('{"a":1}');
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(await contentHash('{"a":1}')).toBe(h);
    expect(await contentHash('{"a":2}')).not.toBe(h);
    expect(versionedEtag(7, h)).toBe(`"v7-${h}"`);
  });

  it("matches If-None-Match weakly, in lists, and with *", () => {
    expect(ifNoneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits("*", '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"abc"')).toBe(false);
  });

  it("reads versions from If-Match and insists on one", () => {
    expect(versionsInIfMatch('"v3-0011aabb"')).toEqual([3]);
    expect(versionsInIfMatch('"v3", "v4"')).toEqual([3, 4]);
    expect(versionsInIfMatch('W/"v3"')).toEqual([]);
    expect(versionsInIfMatch("*")).toEqual([]);
    expect(() => expectedVersion(undefined)).toThrow(ApiError);
    try {
      expectedVersion("3");
    } catch (err) {
      expect((err as ApiError).status).toBe(428);
    }
  });
});

describe("cursors", () => {
  it("round-trip and belong to one sort", () => {
    const c = encodeCursor({ sort: "price_asc", key: [1999, "prd_X"] });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, "price_asc", ["number", "string"])).toEqual([1999, "prd_X"]);
    expect(() => decodeCursor(c, "newest", ["string"])).toThrow(ApiError);
    expect(() => decodeCursor("not-a-cursor!", "newest", ["string"])).toThrow(ApiError);
    expect(() => decodeCursor(encodeCursor({ sort: "newest", key: [5] }), "newest", ["string"])).toThrow(ApiError);
  });
});
