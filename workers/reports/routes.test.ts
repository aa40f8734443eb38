/**
 * /api/reports over HTTP: who may list and run which report, validation
 * (422 naming the field, never a 5xx), the asynchronous run with its
 * progress and signed links, reuse of a stored result, the index of runs,
 * and the rules of the download links.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBindings } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { uniqueCurrency } from "../analytics/history-test-fixtures.ts";
import { settle } from "../analytics/test-fixtures.ts";

const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let currency: string;

type Run = {
  id: string;
  status: string;
  progress: number;
  reused: boolean;
  rowCount: number | null;
  params: Record<string, unknown>;
  downloads: Record<string, { url: string; bytes: number; sha256: string }>;
};

afterAll(() => settle());

beforeAll(async () => {
  currency = uniqueCurrency();
  const users = await Promise.all((["customer", "support", "analyst", "admin"] as const).map((r) => registerAndLogin(r)));
  for (const [i, role] of (["customer", "support", "analyst", "admin"] as const).entries()) {
    tokens[role] = users[i]!.accessToken;
    ids[role] = users[i]!.userId;
  }
}, 60_000);

const start = (token: string, json: unknown) => api("/api/reports/runs", { method: "POST", token, json });
async function finished(id: string, token: string): Promise<Run> {
  return eventually(
    async () => {
      const run = (await (await api(`/api/reports/runs/${id}`, { token })).json()) as Run;
      return run.status === "succeeded" || run.status === "failed" ? run : undefined;
    },
    20_000,
    `run ${id}`,
  );
}

describe("access", () => {
  it("401 without a token, 403 to customers, and each staff role sees its own list of definitions", async () => {
    expect((await api("/api/reports/definitions", { token: null })).status).toBe(401);
    expect((await api("/api/reports/definitions", { token: tokens.customer })).status).toBe(403);
    expect((await start(tokens.customer!, { definition: "stock" })).status).toBe(403);
    expect((await api("/api/reports/runs", { token: tokens.customer })).status).toBe(403);
    expect((await api("/api/reports/schedules", { token: null })).status).toBe(401);
    const list = async (token: string) =>
      ((await (await api("/api/reports/definitions", { token })).json()) as { definitions: { id: string }[] }).definitions.map((d) => d.id);
    expect(await list(tokens.support!)).toEqual(["stock", "payment-outcomes", "order-fulfilment", "review-backlog"]);
    expect(await list(tokens.analyst!)).toEqual([
      "sales-daily",
      "sales-weekly",
      "revenue-monthly",
      "stock",
      "customers",
      "payment-outcomes",
      "order-lines",
      "inventory-valuation",
      "order-fulfilment",
      "review-backlog",
    ]);
    expect(await list(tokens.admin!)).toEqual([...(await list(tokens.analyst!)), "audit-summary"]);
  });

  it("refuses support a revenue report (403) and writes nothing", async () => {
    const res = await start(tokens.support!, { definition: "sales-weekly", params: { currency } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("REPORT_NOT_ALLOWED");
    const runs = (await (await api("/api/reports/runs", { token: tokens.support })).json()) as { runs: unknown[] };
    expect(runs.runs).toEqual([]);
  });

  it("cuts the money columns from what support receives", async () => {
    const res = await start(tokens.support!, { definition: "payment-outcomes", params: { currency }, formats: ["csv"] });
    expect(res.status).toBe(202);
    const run = await finished(((await res.json()) as Run).id, tokens.support!);
    expect(run.status).toBe("succeeded");
    const csv = await (await api(run.downloads.csv!.url, { token: null })).text();
    expect(csv).toContain("Outcome,Payments\r\n");
    expect(csv).not.toMatch(/Amount/);
    // The analyst's copy of the same report carries the amounts.
    const theirs = await finished(
      ((await (await start(tokens.analyst!, { definition: "payment-outcomes", params: { currency }, formats: ["csv"] })).json()) as Run).id,
      tokens.analyst!,
    );
    expect(await (await api(theirs.downloads.csv!.url, { token: null })).text()).toContain(`Outcome,Payments,Amount (${currency})\r\n`);
  });

  it("answers 404 for another user's run, and shows it to admins", async () => {
    const res = await start(tokens.analyst!, { definition: "stock", formats: ["csv"] });
    const { id } = (await res.json()) as Run;
    expect((await api(`/api/reports/runs/${id}`, { token: tokens.support })).status).toBe(404);
    expect((await api(`/api/reports/runs/${id}`, { token: tokens.admin })).status).toBe(200);
    await finished(id, tokens.analyst!);
  });
});

describe("validation", () => {
  it("422 names the field, for bad bodies, parameters, periods, NUL bytes and huge numbers", async () => {
    const fields = async (json: unknown) => {
      const res = await start(tokens.admin!, json);
      expect(res.status, JSON.stringify(json)).toBe(422);
      return [...new Set(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field))];
    };
    expect(await fields({ definition: "nope" })).toEqual(["definition"]);
    expect(await fields({ definition: "sales-weekly\u0000" })).toEqual(["definition"]);
    expect(await fields({ definition: "sales-weekly", params: {} })).toEqual(["params.currency"]);
    expect(await fields({ definition: "sales-weekly", params: { currency: "usd" } })).toEqual(["params.currency"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, limit: 1e308 } })).toEqual(["params.limit"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, limit: "20" } })).toEqual(["params.limit"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, extra: 1 } })).toEqual(["params"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, from: "2026-03-09", to: "2026-03-02" } })).toEqual([
      "params.from",
    ]);
    expect(await fields({ definition: "sales-weekly", params: { currency, from: "2026-03-02" } })).toEqual(["params.to"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, from: "2020-01-01", to: "2026-01-01" } })).toEqual(["params.to"]);
    expect(await fields({ definition: "sales-weekly", params: { currency, from: "2026-02-30\u0000", to: "2026-03-02" } })).toEqual([
      "params.from",
    ]);
    expect(await fields({ definition: "stock", formats: ["docx"] })).toEqual(["formats.0"]);
    expect(await fields({ definition: "stock", formats: [] })).toEqual(["formats"]);
    expect(await fields({ definition: "stock", surprise: true })).toEqual(["body"]);
    expect((await api("/api/reports/runs/not-an-id", { token: tokens.admin })).status).toBe(422);
    expect((await api("/api/reports/runs?limit=100000000000000000000", { token: tokens.admin })).status).toBe(422);
    expect((await api("/api/reports/runs?cursor=%00", { token: tokens.admin })).status).toBe(422);
  });
});

describe("runs", () => {
  it("202 then progress to 100 with signed links to files stored in R2 with their metadata; the same request is reused", async () => {
    const params = { currency, from: "2026-03-02", to: "2026-03-09" };
    const res = await start(tokens.analyst!, { definition: "sales-weekly", params });
    expect(res.status).toBe(202);
    const started = (await res.json()) as Run;
    expect(started).toMatchObject({ status: "queued", progress: 0, reused: false, params: { ...params, limit: 20 } });
    const run = await finished(started.id, tokens.analyst!);
    expect(run).toMatchObject({ status: "succeeded", progress: 100 });
    expect(Object.keys(run.downloads).sort()).toEqual(["csv", "pdf", "xlsx"]);

    const object = await testBindings.REPORTS.head(`runs/${run.id}/sales-weekly.pdf`);
    expect(object?.customMetadata).toMatchObject({
      definition: "sales-weekly",
      access: "analyst",
      requestedBy: ids.analyst,
      sha256: run.downloads.pdf!.sha256,
    });
    expect(JSON.parse(object!.customMetadata!.params!)).toEqual({ ...params, limit: 20 });

    const pdf = await api(run.downloads.pdf!.url, { token: null });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(bytes.byteLength).toBe(run.downloads.pdf!.bytes);
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(digest).toBe(run.downloads.pdf!.sha256);

    const again = await start(tokens.analyst!, {
      definition: "sales-weekly",
      params: { to: "2026-03-09", from: "2026-03-02", currency },
      formats: ["pdf", "xlsx", "csv"],
    });
    expect(again.status).toBe(200);
    expect((await again.json()) as Run).toMatchObject({ id: run.id, reused: true });
    // Another role's request is another report (cut differently): not reused.
    const admin = await start(tokens.admin!, { definition: "sales-weekly", params });
    expect(admin.status).toBe(202);
    await finished(((await admin.json()) as Run).id, tokens.admin!);
  });

  it("lists past runs per definition, newest first, page by page; others' runs only for admins", async () => {
    const first = await api("/api/reports/runs?definition=sales-weekly&limit=1", { token: tokens.admin });
    const page1 = (await first.json()) as { runs: Run[]; nextCursor: string | null };
    expect(page1.runs).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await (
      await api(`/api/reports/runs?definition=sales-weekly&limit=1&cursor=${page1.nextCursor}`, { token: tokens.admin })
    ).json()) as { runs: Run[] };
    expect(page2.runs[0]!.id).not.toBe(page1.runs[0]!.id);
    expect(page2.runs[0]!.id < page1.runs[0]!.id).toBe(true);
    const mine = (await (await api("/api/reports/runs?definition=sales-weekly", { token: tokens.analyst })).json()) as {
      runs: { requestedBy: string }[];
    };
    expect(mine.runs.length).toBeGreaterThan(0);
    expect(mine.runs.every((r) => r.requestedBy === ids.analyst)).toBe(true);
  });

  it("refuses a tampered, expired or foreign link (403), and an unknown run (404)", async () => {
    const res = await start(tokens.analyst!, { definition: "stock", params: { limit: 7 }, formats: ["csv"] });
    const run = await finished(((await res.json()) as Run).id, tokens.analyst!);
    const url = new URL(run.downloads.csv!.url, "https://api.test");
    const sig = url.searchParams.get("sig")!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}`;
    expect((await api(`${url.pathname}?expires=${url.searchParams.get("expires")}&sig=${flipped}`, { token: null })).status).toBe(403);
    expect((await api(`${url.pathname}?expires=${Number(url.searchParams.get("expires")) + 1}&sig=${sig}`, { token: null })).status).toBe(
      403,
    );
    expect((await api(`${url.pathname.replace("/csv", "/pdf")}?${url.searchParams}`, { token: null })).status).toBe(403);
    expect((await api(`${url.pathname}?expires=1&sig=${sig}`, { token: null })).status).toBe(403);
    expect((await api(`${url.pathname}?expires=abc&sig=${sig}`, { token: null })).status).toBe(422);
    expect((await api(`${url.pathname}`, { token: null })).status).toBe(422);
  });
});
