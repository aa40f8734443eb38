import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  activeFilters,
  listParam,
  MARK_END,
  MARK_START,
  MAX_PAGE,
  nextPage,
  priceBuckets,
  ratingBuckets,
  renderHighlight,
} from "./domain.ts";

describe("listParam", () => {
  it("splits commas, trims, drops blanks and repeats, from one value or several", () => {
    expect(listParam(undefined)).toEqual([]);
    expect(listParam("a, b,,a")).toEqual(["a", "b"]);
    expect(listParam(["a,b", "c", " b "])).toEqual(["a", "b", "c"]);
  });
});

describe("activeFilters", () => {
  it("names the facets that have a filter", () => {
    expect([...activeFilters({ categories: [], brands: [] })]).toEqual([]);
    expect([...activeFilters({ categories: ["x"], brands: [], maxPriceMinor: 100, inStock: false, currency: "USD" })].sort()).toEqual([
      "category",
      "inStock",
      "price",
    ]);
    expect([...activeFilters({ categories: [], brands: ["b"], minRating: 0 })].sort()).toEqual(["brand", "rating"]);
  });
});

describe("priceBuckets", () => {
  it("returns every bucket in order, with Postgres width_bucket numbers mapped to their ranges", () => {
    const buckets = priceBuckets([
      { bucket: 0, count: 2 },
      { bucket: 5, count: 1 },
      { bucket: 2, count: 4 },
    ]);
    expect(buckets).toEqual([
      { fromMinor: 0, toMinor: 2500, count: 2 },
      { fromMinor: 2500, toMinor: 5000, count: 0 },
      { fromMinor: 5000, toMinor: 10000, count: 4 },
      { fromMinor: 10000, toMinor: 25000, count: 0 },
      { fromMinor: 25000, toMinor: 50000, count: 0 },
      { fromMinor: 50000, toMinor: null, count: 1 },
    ]);
  });
});

describe("ratingBuckets", () => {
  it("counts n stars and up, cumulatively from the top", () => {
    expect(
      ratingBuckets([
        { stars: 5, count: 1 },
        { stars: 4, count: 2 },
        { stars: 2, count: 3 },
        { stars: 0, count: 10 },
      ]),
    ).toEqual([
      { minRating: 4, count: 3 },
      { minRating: 3, count: 3 },
      { minRating: 2, count: 6 },
      { minRating: 1, count: 6 },
    ]);
  });

  it("never decreases as the minimum falls", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ stars: fc.integer({ min: 0, max: 5 }), count: fc.nat(1000) }), { maxLength: 6 }), (rows) => {
        const unique = [...new Map(rows.map((r) => [r.stars, r])).values()];
        const counts = ratingBuckets(unique).map((b) => b.count);
        for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
      }),
    );
  });
});

describe("renderHighlight", () => {
  it("escapes the text and turns the markers into <mark> elements", () => {
    expect(renderHighlight(`${MARK_START}Tea${MARK_END} & <b>"cups"</b>`)).toBe(
      "<mark>Tea</mark> &amp; &lt;b&gt;&quot;cups&quot;&lt;/b&gt;",
    );
    expect(renderHighlight(null)).toBeNull();
  });

  it("always produces balanced marks and no raw angle brackets", () => {
    const piece = fc.oneof(fc.string(), fc.constant(MARK_START), fc.constant(MARK_END), fc.constant("<script>"));
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        const html = renderHighlight(pieces.join(""))!;
        const withoutMarks = html.replaceAll("<mark>", "").replaceAll("</mark>", "");
        expect(withoutMarks).not.toMatch(/[<>]/);
        expect(html.split("<mark>").length).toBe(html.split("</mark>").length);
        expect(html.indexOf("</mark>")).toBeGreaterThanOrEqual(html.indexOf("<mark>"));
      }),
    );
  });
});

describe("nextPage", () => {
  it("points at the next page while there are more results, up to the last allowed page", () => {
    expect(nextPage(1, 20, 20)).toBeNull();
    expect(nextPage(1, 20, 21)).toBe(2);
    expect(nextPage(MAX_PAGE, 1, 10_000)).toBeNull();
  });
});
