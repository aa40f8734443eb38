/**
 * Query reading over HTTP on products indexed through the search consumer:
 * typos by edit distance, the half-typed last word, nonsense, and the admin
 * rules (synonyms, stop words, pins and boosts) with their routes' access
 * and validation. The words are random per run, because the database, its
 * lexicon and its rules are shared by every test file.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { created, deliver, randomWord, search, snapshot } from "./test-fixtures.ts";

const T = randomWord();
const brand = { slug: `${T}-rules`, name: "Rulesmith" };
const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
// Words of the fixture's names: long ones for typos, and ones for synonyms and stop words.
const [long, longer, kicks, runners, pack, daypack, shell, filler] = [
  randomWord(9),
  randomWord(11),
  randomWord(7),
  randomWord(7),
  randomWord(6),
  randomWord(8),
  randomWord(8),
  randomWord(6),
];
const products = {
  long: snapshot({ name: `${cap(long)} Speaker`, brand }),
  longer: snapshot({ name: `${cap(longer)} Lamp`, brand }),
  kicks: snapshot({ name: `${cap(kicks)} Shoes`, brand }),
  runners: snapshot({ name: `${cap(runners)} Shoes`, brand }),
  daypack: snapshot({ name: `Trail ${cap(daypack)}`, brand }),
  shellA: snapshot({ name: `${cap(shell)} Jacket`, brand }),
  shellB: snapshot({ name: `${cap(shell)} Jacket`, brand }),
  unrelated: snapshot({ name: `${cap(filler)} Mug`, brand }),
};
const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);
const swap = (w: string, i: number) => w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);

beforeAll(async () => {
  const all = Object.values(products);
  expect(await deliver(all.map(created))).toEqual({ acked: all.length, retried: 0 });
});

describe("typos", () => {
  it("corrects a transposition of two letters", async () => {
    const r = await search({ q: swap(long, 3), brand: brand.slug });
    expect(names(r)).toEqual([products.long.name]);
    expect(r.correctedQuery).toBe(long);
    expect(r.words).toEqual([{ typed: swap(long, 3), kind: "corrected", searchedAs: long, synonyms: [] }]);
  });

  it("corrects two typos in a long word, and only one in a word under eight letters", async () => {
    const twice = `${longer.slice(0, 2)}${longer.slice(3, 7)}x${longer.slice(8)}`; // one letter dropped, one replaced
    expect(names(await search({ q: `${twice} lamp`, brand: brand.slug }))).toEqual([products.longer.name]);
    const kicksTwice = `${kicks.slice(0, 2)}${kicks.slice(3, 5)}q${kicks.slice(6)}`;
    const r = await search({ q: `${kicksTwice} shoes`, brand: brand.slug });
    expect(r.words[0]!.kind).toBe("unmatched");
  });

  it("says so instead of answering nonsense with unrelated products", async () => {
    const r = await search({ q: `${randomWord(7)} ${randomWord(8)}` });
    expect(r.items).toEqual([]);
    expect(r.total).toBe(0);
    expect(r.words.map((w) => w.kind)).toEqual(["unmatched", "unmatched"]);
    expect(r.notice).toMatch(/^Nothing in the catalogue resembles/);
  });

  it("leaves an unmatched word out of a query whose other words match, and says which", async () => {
    const stray = randomWord(8);
    const r = await search({ q: `${kicks} ${stray} shoes`, brand: brand.slug });
    expect(names(r)).toEqual([products.kicks.name]);
    expect(r.notice).toContain(`"${stray}"`);
  });
});

describe("as you type", () => {
  it("matches a half-typed last word as a prefix, in search and in suggestions", async () => {
    const r = await search({ q: `shoes ${runners.slice(0, 4)}`, brand: brand.slug });
    expect(names(r)).toEqual([products.runners.name]);
    expect(r.words[1]!.kind).toBe("prefix");
    for (const typed of [runners.slice(0, 4), `${runners} sh`]) {
      const s = await api(`/api/search/suggest?q=${encodeURIComponent(typed)}`, { token: null });
      expect(((await s.json()) as { products: { name: string }[] }).products.map((p) => p.name)).toContain(products.runners.name);
    }
    // Two words, the last half typed, in search too.
    expect(names(await search({ q: `${runners} sh`, brand: brand.slug }))).toEqual([products.runners.name]);
  });

  it("does not treat a word before the last as a prefix", async () => {
    const r = await search({ q: `${runners.slice(0, 4)} shoes`, brand: brand.slug });
    expect(r.words.map((w) => w.kind)).toEqual(["unmatched", "exact"]);
  });
});

describe("admin rules applied at query time", () => {
  it("widens a query by a two-way synonym both ways, and by a one-way synonym one way", async () => {
    const twoWay = await api("/api/search/synonyms", { method: "POST", json: { term: kicks, synonym: cap(runners), twoWay: true } });
    expect(twoWay.status).toBe(201);
    expect(await twoWay.json()).toMatchObject({ term: kicks, synonym: runners, twoWay: true, language: "en" });
    expect(names(await search({ q: kicks, brand: brand.slug })).sort()).toEqual([products.kicks.name, products.runners.name].sort());
    expect(names(await search({ q: runners, brand: brand.slug })).sort()).toEqual([products.kicks.name, products.runners.name].sort());

    const oneWay = await api("/api/search/synonyms", { method: "POST", json: { term: pack, synonym: daypack } });
    expect(oneWay.status).toBe(201);
    const widened = await search({ q: pack, brand: brand.slug });
    expect(names(widened)).toEqual([products.daypack.name]);
    expect(widened.words[0]!.synonyms).toEqual([daypack]);
    expect(names(await search({ q: `${daypack}`, brand: brand.slug }))).toEqual([products.daypack.name]);
    // The other direction adds nothing: no product is named after the term.
    expect((await search({ q: daypack, brand: brand.slug })).words[0]!.synonyms).toEqual([]);
  });

  it("ignores a stop word and never corrects a typo into one", async () => {
    const added = await api("/api/search/stop-words", { method: "POST", json: { word: filler } });
    expect(added.status).toBe(201);
    const r = await search({ q: `${filler} ${shell}`, brand: brand.slug });
    expect(r.words[0]!.kind).toBe("stop");
    expect(names(r)).toEqual([products.shellA.name, products.shellB.name]);
    // One edit from the stop word, and nothing else close: unmatched, not corrected to it.
    const typo = `${filler.slice(0, 5)}q`;
    expect((await search({ q: typo })).words[0]!.kind).toBe("unmatched");
    const removed = await api(`/api/search/stop-words/en/${filler}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await search({ q: typo, brand: brand.slug })).words[0]).toMatchObject({ kind: "corrected", searchedAs: filler });
  });

  it("puts pinned products first in position order, even ones the text does not match, and lifts boosted ones", async () => {
    const query = `${shell} jacket`;
    const before = names(await search({ q: query, brand: brand.slug }));
    expect(before).toHaveLength(2);
    const last = before[1] === products.shellA.name ? products.shellA : products.shellB;
    const boost = await api("/api/search/merchandising", {
      method: "POST",
      json: { query, productId: last.productId, kind: "boost", boost: 5 },
    });
    expect(boost.status).toBe(201);
    expect((await search({ q: query, brand: brand.slug })).items[0]!.productId).toBe(last.productId);

    const pin = await api("/api/search/merchandising", {
      method: "POST",
      json: { query: `  ${shell.toUpperCase()} Jacket!`, productId: products.unrelated.productId, kind: "pin", position: 1 },
    });
    expect(pin.status).toBe(201);
    expect(await pin.json()).toMatchObject({ query, kind: "pin", position: 1, boost: null });
    const pinned = await search({ q: query, brand: brand.slug });
    expect(pinned.items.map((i) => i.productId)).toEqual([products.unrelated.productId, last.productId, expect.any(String)]);
    // Filters still apply to pins.
    expect((await search({ q: query, brand: `${T}-other` })).items).toEqual([]);

    const rules = (await (await api(`/api/search/merchandising?query=${encodeURIComponent(query)}`)).json()) as { items: { id: string }[] };
    expect(rules.items).toHaveLength(2);
    for (const rule of rules.items) expect((await api(`/api/search/merchandising/${rule.id}`, { method: "DELETE" })).status).toBe(204);
    expect(names(await search({ q: query, brand: brand.slug }))).toEqual(before);
  });
});

describe("rule routes: access and validation", () => {
  it("answers 401 without a token and 403 to a customer, and writes nothing", async () => {
    const customer = await registerAndLogin("customer");
    const body = { term: `${T}a`, synonym: `${T}b` };
    expect((await api("/api/search/synonyms", { token: null })).status).toBe(401);
    expect((await api("/api/search/synonyms", { method: "POST", json: body, token: null })).status).toBe(401);
    expect((await api("/api/search/synonyms", { method: "POST", json: body, token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/search/stop-words", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/search/merchandising", { token: customer.accessToken })).status).toBe(403);
    const held = await withTestDb((db) => db.execute(sql`select 1 from search.synonyms where term = ${`${T}a`}`));
    expect(held.rows).toHaveLength(0);
  });

  it("lists, refuses duplicates with 409 and unknown ids with 404", async () => {
    const body = { term: `${T} alpha`, synonym: `${T} beta`, twoWay: false };
    const first = await api("/api/search/synonyms", { method: "POST", json: body });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    expect((await api("/api/search/synonyms", { method: "POST", json: { ...body, term: `${T.toUpperCase()}  Alpha` } })).status).toBe(409);
    const list = (await (await api("/api/search/synonyms?lang=en")).json()) as { items: { id: string }[] };
    expect(list.items.map((s) => s.id)).toContain(id);
    expect((await api(`/api/search/synonyms/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/search/synonyms/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api("/api/search/stop-words/en/neverastopword", { method: "DELETE" })).status).toBe(404);
    const unknownProduct = { query: "x", productId: "prd_00000000000000000000000000", kind: "pin", position: 1 };
    expect((await api("/api/search/merchandising", { method: "POST", json: unknownProduct })).status).toBe(404);
  });

  it("answers 422 problem+json for bad input: NUL bytes, punctuation only, huge numbers, unknown fields and ids", async () => {
    const pid = products.unrelated.productId;
    const bad: [string, string, unknown][] = [
      ["POST", "/api/search/synonyms", { term: "a\u0000b", synonym: "c" }],
      ["POST", "/api/search/synonyms", { term: "!!!", synonym: "c" }],
      ["POST", "/api/search/synonyms", { term: "same", synonym: "SAME" }],
      ["POST", "/api/search/synonyms", { term: "a", synonym: "b", extra: 1 }],
      ["POST", "/api/search/synonyms", { term: "a".repeat(101), synonym: "b" }],
      ["POST", "/api/search/synonyms", { term: "a", synonym: "b", language: "english" }],
      ["POST", "/api/search/stop-words", { word: "two words" }],
      ["POST", "/api/search/merchandising", { query: "q", productId: pid, kind: "pin", position: 1e300 }],
      ["POST", "/api/search/merchandising", { query: "q", productId: pid, kind: "boost", boost: -1 }],
      ["POST", "/api/search/merchandising", { query: "q", productId: pid, kind: "pin", boost: 2 }],
      ["POST", "/api/search/merchandising", { query: "q", productId: "nope", kind: "pin", position: 1 }],
      ["DELETE", "/api/search/synonyms/not-an-id", undefined],
      ["DELETE", "/api/search/merchandising/smr_x", undefined],
      ["GET", "/api/search/synonyms?lang=%00", undefined],
      ["GET", `/api/search?q=${encodeURIComponent("shoes\u0000")}&lang=xx1`, undefined],
    ];
    for (const [method, path, json] of bad) {
      const res = await api(path, { method, json });
      expect([path, res.status]).toEqual([path, 422]);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("refuses a NUL byte in the query itself with 422, and survives a very long word", async () => {
    for (const path of ["/api/search?q=", "/api/search/suggest?q="]) {
      const nul = await api(`${path}${encodeURIComponent(`${kicks}\u0000shoes`)}`, { token: null });
      expect(nul.status).toBe(422);
    }
    const long = await api(`/api/search?q=${"z".repeat(200)}`, { token: null });
    expect(long.status).toBe(200);
    expect(((await long.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
