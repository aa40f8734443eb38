/**
 * Search answers through the edge cache, with the cache turned on for these
 * requests only (the rest of the suite runs with it off, so a catalogue
 * change shows at once): one entry per normalised query, served until it is
 * stale, then refreshed in the background; staff bypass it and refresh it.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { OPS_TOKEN } from "../../test/helpers/http.ts";
import worker from "../index.ts";
import { normaliseWords } from "./edge-cache.ts";
import { created, deliver, randomWord, snapshot, updated } from "./test-fixtures.ts";

const W = randomWord();
const lamp = snapshot({ name: `${W} Desk Lamp`, prices: [2500] });

/** The Worker with the cache on: fresh for `fresh` seconds, then stale for 30. */
async function get(path: string, fresh: number, token?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const vars = { SEARCH_EDGE_FRESH_SECONDS: String(fresh), SEARCH_EDGE_STALE_SECONDS: "30" };
  const res = await worker.fetch(new Request(`https://api.test${path}`, { headers }), { ...env, ...vars } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function names(res: Response): Promise<string[]> {
  const body = (await res.json()) as { items: { name: string }[] };
  return body.items.map((i) => i.name);
}

beforeAll(async () => {
  await deliver([created(lamp)]);
});

describe("the search edge cache", () => {
  it("serves one entry for equivalent queries, and the cached answer until it is stale", async () => {
    const first = await get(`/api/search?q=${W}%20%20desk&limit=5`, 30);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=30, stale-while-revalidate=30");
    expect(await names(first)).toEqual([`${W} Desk Lamp`]);

    // Renamed in the projection: the cached answer still names the old product until it is stale.
    await deliver([updated({ ...lamp, name: `${W} Desk Light`, version: 2 } as typeof lamp)]);
    const again = await get(`/api/search?limit=5&q=${W}+desk`, 30);
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(await names(again)).toEqual([`${W} Desk Lamp`]);

    // A different page is a different entry, rendered now.
    const other = await get(`/api/search?q=${W}%20desk&limit=6`, 30);
    expect(other.headers.get("x-cache")).toBe("MISS");
    expect(await names(other)).toEqual([`${W} Desk Light`]);
  });

  it("serves a stale entry once while it renders the new one, then the new one", async () => {
    // Stored fresh for one second (0 would turn the cache off).
    expect((await get(`/api/search?q=${W}&sort=newest`, 1)).headers.get("x-cache")).toBe("MISS");
    await deliver([updated({ ...lamp, name: `${W} Reading Lamp`, version: 3 } as typeof lamp)]);
    await new Promise((r) => setTimeout(r, 1100));
    const stale = await get(`/api/search?q=${W}&sort=newest`, 1);
    expect(stale.headers.get("x-cache")).toBe("STALE");
    expect(await names(stale)).not.toContain(`${W} Reading Lamp`);
    // The background render ran inside that request's execution context: the entry is now the new answer.
    const refreshed = await get(`/api/search?q=${W}&sort=newest`, 30);
    expect(refreshed.headers.get("x-cache")).toBe("HIT");
    expect(await names(refreshed)).toEqual([`${W} Reading Lamp`]);
  });

  it("lets staff bypass the entry and refresh it with what they see", async () => {
    await get(`/api/search?q=${W}&sort=price_asc`, 30);
    await deliver([updated({ ...lamp, name: `${W} Floor Lamp`, version: 4 } as typeof lamp)]);
    const staff = await get(`/api/search?q=${W}&sort=price_asc`, 30, OPS_TOKEN);
    expect(staff.headers.get("x-cache")).toBe("BYPASS");
    expect(await names(staff)).toEqual([`${W} Floor Lamp`]);
    const shopper = await get(`/api/search?q=${W}&sort=price_asc`, 30);
    expect(shopper.headers.get("x-cache")).toBe("HIT");
    expect(await names(shopper)).toEqual([`${W} Floor Lamp`]);
  });

  it("caches suggestions by their lower-cased words", async () => {
    const a = await get(`/api/search/suggest?q=${W.toUpperCase()}`, 30);
    const b = await get(`/api/search/suggest?q=${W}`, 30);
    expect(a.headers.get("x-cache")).toBe("MISS");
    expect(b.headers.get("x-cache")).toBe("HIT");
    expect(await b.json()).toEqual(await a.json());
  });

  it("collapses whitespace only", () => {
    expect(normaliseWords("  Desk \\t  Lamp ")).toBe("Desk \\t Lamp");
    expect(normaliseWords("a\\n\\nb")).toBe("a\\n\\nb");
    expect(normaliseWords(" a \n\n b ")).toBe("a b");
  });
});
