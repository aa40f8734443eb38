/** The search-query log, the zero-result report and the log's retention job. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import { created, deliver, randomWord, snapshot } from "./test-fixtures.ts";

type LogRow = {
  query: string;
  normalized: string;
  corrected: string | null;
  filters: Record<string, unknown>;
  sort: string;
  page: number;
  result_count: number;
  latency_ms: number;
};

const logRow = (requestId: string) =>
  withTestDb(async (db) => {
    const r = await db.execute<LogRow & Record<string, unknown>>(sql`
      select query, normalized, corrected, filters, sort, page, result_count, latency_ms from search.query_log where request_id = ${requestId}`);
    return r.rows[0];
  });

describe("query log", () => {
  it("records each search with its filters, result count and latency, after answering", async () => {
    const word = randomWord();
    await deliver([created(snapshot({ name: `${word} Vase`, brand: { slug: `${word}-co`, name: "Co" } }))]);
    const requestId = `search-log-${crypto.randomUUID()}`;
    const res = await api(
      `/api/search?q=${encodeURIComponent(`${word.toUpperCase()} Vâse`)}&brand=${word}-co&inStock=false&sort=price_asc`,
      { token: null, headers: { "x-request-id": requestId } },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total: number }).total).toBe(1);

    const row = await eventually(() => logRow(requestId), 10_000, "the log entry");
    expect(row).toMatchObject({
      query: `${word.toUpperCase()} Vâse`,
      normalized: `${word} vase`,
      corrected: null,
      filters: { brand: [`${word}-co`], inStock: false },
      sort: "price_asc",
      page: 1,
      result_count: 1,
    });
    expect(row.latency_ms).toBeGreaterThan(0);
  });

  it("records the corrected query when a word was misspelt", async () => {
    const word = randomWord();
    await deliver([created(snapshot({ name: `${word} Candleholder` }))]);
    const requestId = `search-log-${crypto.randomUUID()}`;
    await api(`/api/search?q=${word}%20candleholdr`, { token: null, headers: { "x-request-id": requestId } });
    const row = await eventually(() => logRow(requestId), 10_000, "the log entry");
    expect(row).toMatchObject({ corrected: `${word} candleholder`, result_count: 1 });
  });

  it("does not log browsing without a query", async () => {
    const requestId = `search-log-${crypto.randomUUID()}`;
    expect((await api("/api/search?limit=1", { token: null, headers: { "x-request-id": requestId } })).status).toBe(200);
    // A search logged after it shows the background writes have run.
    const marker = `search-log-${crypto.randomUUID()}`;
    await api(`/api/search?q=${randomWord()}`, { token: null, headers: { "x-request-id": marker } });
    await eventually(() => logRow(marker), 10_000, "the marker entry");
    expect(await logRow(requestId)).toBeUndefined();
  });
});

describe("zero-result report", () => {
  it("groups queries that found nothing by their normal form, most frequent first", async () => {
    const word = randomWord(11);
    const rare = randomWord(11);
    const markers: string[] = [];
    for (const q of [`Ñ${word}!`, `n${word}`, `N${word.toUpperCase()}`, rare]) {
      const requestId = `zero-${crypto.randomUUID()}`;
      markers.push(requestId);
      const body = (await (
        await api(`/api/search?q=${encodeURIComponent(q)}`, { token: null, headers: { "x-request-id": requestId } })
      ).json()) as { total: number };
      expect(body.total).toBe(0);
    }
    for (const m of markers) await eventually(() => logRow(m), 10_000, "the zero-result entries");

    // Every test file's zero-result searches share the report, so it is read to the end.
    const report: { items: { query: string; searches: number; example: string; lastSearchedAt: string }[] } = { items: [] };
    for (let page: number | null = 1; page !== null; ) {
      const res = await api(`/api/search/reports/zero-results?days=1&limit=100&page=${page}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: (typeof report)["items"]; nextPage: number | null };
      report.items.push(...body.items);
      page = body.nextPage;
    }
    const mine = report.items.find((i) => i.query === `n${word}`);
    expect(mine).toMatchObject({ searches: 3, example: `N${word.toUpperCase()}` });
    expect(report.items.find((i) => i.query === rare)).toMatchObject({ searches: 1 });
    expect(report.items.findIndex((i) => i.query === `n${word}`)).toBeLessThan(report.items.findIndex((i) => i.query === rare));

    const first = (await (await api("/api/search/reports/zero-results?days=1&limit=1")).json()) as {
      items: unknown[];
      nextPage: number | null;
    };
    expect(first.items).toHaveLength(1);
    expect(first.nextPage).toBe(2);
  });

  it("is for admins and analysts only", async () => {
    expect((await api("/api/search/reports/zero-results", { token: null })).status).toBe(401);
  });
});

describe("retention", () => {
  it("deletes entries older than the retention period", async () => {
    const oldId = newId("srq");
    await withTestDb((db) =>
      db.execute(sql`insert into search.query_log (id, query, normalized, filters, sort, page, result_count, latency_ms, created_at)
        values (${oldId}, 'old', 'old', '{}'::jsonb, 'relevance', 1, 0, 1, now() - interval '91 days')`),
    );
    const run = (await (await api("/api/scheduler/jobs/search-query-log-prune/run", { method: "POST" })).json()) as {
      outcome: string;
      result: { deleted: number };
    };
    expect(run.outcome).toBe("succeeded");
    expect(run.result.deleted).toBeGreaterThanOrEqual(1);
    expect(await withTestDb(async (db) => (await db.execute(sql`select 1 from search.query_log where id = ${oldId}`)).rows.length)).toBe(0);
  });
});
