/**
 * Schedules end to end: an admin subscribes a manager to the weekly sales
 * report; the cron handler fires it once the week is over; exactly one mail
 * reaches the capture provider, even when the firing is repeated after a
 * crash; its links download the PDF and the Excel file with the week's
 * figures. A run that keeps failing is retried, then the subscriber is alerted.
 * Retention removes old files and keeps the runs listed.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { reportRuns, reportSchedules } from "../../db/schema/reports.ts";
import { testBindings, testEnv, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { expectedSales } from "../analytics/expected-test-fixtures.ts";
import { events } from "../analytics/history-events-test-fixtures.ts";
import { buildWorld, DAY, randomMonday, type World } from "../analytics/history-test-fixtures.ts";
import { deliver, settle, shuffledWithDuplicates } from "../analytics/test-fixtures.ts";
import worker from "../index.ts";
import { captured } from "../notifications/test-fixtures.ts";
import { reportRetentionJob } from "./retention-job.ts";
import { RUN_FAULT_POINT } from "./run-executor.ts";

let world: World;
let manager: TestUser;
let support: TestUser;

afterAll(() => settle());

beforeAll(async () => {
  world = buildWorld(20260323, randomMonday(1991, 1999));
  expect(await deliver(shuffledWithDuplicates(events(world), 13))).toBe(0);
  [manager, support] = await Promise.all([registerAndLogin("analyst"), registerAndLogin("support")]);
}, 120_000);

async function tick(vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), { ...testBindings, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
}
const schedule = (id: string) => withTestDb(async (db) => (await db.select().from(reportSchedules).where(eq(reportSchedules.id, id)))[0]!);
const setNextRun = (id: string, at: Date) =>
  withTestDb((db) => db.update(reportSchedules).set({ nextRunAt: at }).where(eq(reportSchedules.id, id)));
const mails = async (user: TestUser, subject: RegExp) => (await captured(user.email, "email")).filter((m) => subject.test(m.subject ?? ""));

describe("a weekly subscription", () => {
  it("is validated: staff subscribers only, no fixed period, others' subscriptions for admins only", async () => {
    const customer = await registerAndLogin("customer");
    const body = { definition: "sales-weekly", params: { currency: world.currency }, frequency: "weekly" };
    expect((await api("/api/reports/schedules", { method: "POST", json: { ...body, subscriberId: customer.userId } })).status).toBe(403);
    expect((await api("/api/reports/schedules", { method: "POST", token: customer.accessToken, json: body })).status).toBe(403);
    expect((await api("/api/reports/schedules", { method: "POST", token: support.accessToken, json: body })).status).toBe(403);
    expect(
      (await api("/api/reports/schedules", { method: "POST", token: support.accessToken, json: { ...body, subscriberId: manager.userId } }))
        .status,
    ).toBe(403);
    const fixed = await api("/api/reports/schedules", {
      method: "POST",
      json: { ...body, params: { ...body.params, from: "2026-03-02", to: "2026-03-09" } },
    });
    expect(fixed.status).toBe(422);
    expect((await api("/api/reports/schedules", { method: "POST", json: { ...body, frequency: "hourly" } })).status).toBe(422);
  });

  it("fires after the week, mails the manager once with working links to the PDF and Excel files", async () => {
    const res = await api("/api/reports/schedules", {
      method: "POST",
      json: {
        definition: "sales-weekly",
        params: { currency: world.currency },
        formats: ["pdf", "xlsx"],
        frequency: "weekly",
        subscriberId: manager.userId,
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; nextRunAt: string; access: string };
    expect(created.access).toBe("analyst");
    expect(new Date(created.nextRunAt).getUTCDay()).toBe(1);
    const listed = (await (await api("/api/reports/schedules", { token: manager.accessToken })).json()) as { schedules: { id: string }[] };
    expect(listed.schedules.map((s) => s.id)).toContain(created.id);

    // The schedule falls due an hour after the history's busiest week ends (weekly figures from the independent computation).
    const week = expectedSales(world).period.reduce((best, w) => (w.orders > best.orders ? w : best));
    const weekStart = new Date(`${week.key}T00:00:00Z`);
    const weekEnd = new Date(weekStart.getTime() + 7 * DAY);
    const due = new Date(weekEnd.getTime() + 3_600_000);
    await setNextRun(created.id, due);
    await tick();
    const after = await schedule(created.id);
    expect(after.nextRunAt.toISOString()).toBe(new Date(due.getTime() + 7 * DAY).toISOString());
    expect(after.lastRunId).toMatch(/^rpt_/);
    const sent = await mails(manager, /^Report ready: Weekly sales/);
    expect(sent).toHaveLength(1);

    // A firing repeated after a crash (the schedule not yet moved on) reuses the run and sends nothing new.
    await setNextRun(created.id, due);
    await tick();
    expect(await mails(manager, /^Report ready: Weekly sales/)).toHaveLength(1);
    expect((await schedule(created.id)).lastRunId).toBe(after.lastRunId);

    const links = [...sent[0]!.text.matchAll(/https?:\/\/\S+/g)]
      .map((m) => new URL(m[0]))
      .filter((u) => u.pathname.startsWith("/api/reports/files/"));
    expect(links.map((l) => l.pathname.split("/").pop()).sort()).toEqual(["pdf", "xlsx"]);
    const download = async (format: string) => {
      const link = links.find((l) => l.pathname.endsWith(`/${format}`))!;
      const r = await api(`${link.pathname}${link.search}`, { token: null });
      expect(r.status).toBe(200);
      return new Uint8Array(await r.arrayBuffer());
    };
    const revenue = week.revenueMinor;
    expect(week.orders).toBeGreaterThan(0);

    // Under the size cut-off the files travel with the mail too: the same bytes as the run's (checked by SHA-256).
    expect(sent[0]!.text).toContain("The files are attached to this mail.");
    const [run] = await withTestDb((db) => db.select().from(reportRuns).where(eq(reportRuns.id, after.lastRunId!)));
    const attached = (sent[0]!.data as { attachments: { filename: string; contentType: string; bytes: number; sha256: string }[] })
      .attachments;
    const period = `${weekStart.toISOString().slice(0, 10)}_${new Date(weekEnd.getTime() - DAY).toISOString().slice(0, 10)}`;
    expect(attached.map((a) => [a.filename, a.bytes, a.sha256]).sort()).toEqual(
      [
        [`sales-weekly_${period}.pdf`, run!.files!.pdf!.bytes, run!.files!.pdf!.sha256],
        [`sales-weekly_${period}.xlsx`, run!.files!.xlsx!.bytes, run!.files!.xlsx!.sha256],
      ].sort(),
    );

    const book = XLSX.read(await download("xlsx"), { type: "array" });
    const [totals] = XLSX.utils.sheet_to_json<Record<string, number>>(book.Sheets.Totals!);
    expect(totals!.Orders).toBe(week.orders);
    expect(Math.round(totals![`Revenue (${world.currency})`]! * 100)).toBe(revenue);

    const { text } = await extractText(await getDocumentProxy(await download("pdf")), { mergePages: true });
    expect(text).toContain((revenue / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(text).toContain(
      `Period: ${weekStart.toISOString().slice(0, 10)} to ${new Date(weekEnd.getTime() - DAY).toISOString().slice(0, 10)}`,
    );

    // Unsubscribing: another staff user gets 404, the subscriber ends it.
    expect((await api(`/api/reports/schedules/${created.id}`, { method: "DELETE", token: support.accessToken })).status).toBe(404);
    expect((await api(`/api/reports/schedules/${created.id}`, { method: "DELETE", token: manager.accessToken })).status).toBe(204);
    expect((await schedule(created.id)).active).toBe(false);
  });

  it("sends links only when the files are over the attachment cut-off", async () => {
    const res = await api("/api/reports/schedules", {
      method: "POST",
      token: support.accessToken,
      json: { definition: "stock", params: {}, formats: ["csv"], frequency: "daily" },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const due = new Date(Date.UTC(1997, 4, 6, 1));
    await setNextRun(id, due);
    await tick({ REPORTS_MAIL_ATTACHMENT_MAX_BYTES: "1" });
    const sent = (await mails(support, /^Report ready: Low stock/)).filter((m) => m.text.includes("1997"));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toBeNull();
    expect(sent[0]!.text).not.toContain("attached");
    expect(sent[0]!.text).toMatch(/\/api\/reports\/files\/rpt_\w+\/csv/);
    expect((await api(`/api/reports/schedules/${id}`, { method: "DELETE", token: support.accessToken })).status).toBe(204);
  });

  it("retries a failing run, then alerts the subscriber once and moves on to the next period", async () => {
    const res = await api("/api/reports/schedules", {
      method: "POST",
      token: support.accessToken,
      json: { definition: "stock", params: {}, formats: ["csv"], frequency: "daily" },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await injectFault(RUN_FAULT_POINT, id, null);
    try {
      const due = new Date(Date.UTC(1999, 5, 2, 1));
      await setNextRun(id, due);
      await tick();
      expect(await schedule(id)).toMatchObject({ failures: 1, nextRunAt: new Date(due.getTime() + 5 * 60_000) });
      await tick();
      expect(await schedule(id)).toMatchObject({ failures: 2 });
      expect(await mails(support, /^Report failed/)).toHaveLength(0);
      await tick();
      const s = await schedule(id);
      expect(s).toMatchObject({ failures: 0, nextRunAt: new Date(due.getTime() + DAY) });
      const run = await withTestDb(async (db) => (await db.select().from(reportRuns).where(eq(reportRuns.id, s.lastRunId!)))[0]!);
      expect(run).toMatchObject({ status: "failed", attempts: 3 });
      const alerts = await mails(support, /^Report failed: Low stock and stock-outs/);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.text).toContain("after 3 attempts");
    } finally {
      await clearFault(RUN_FAULT_POINT, id);
    }
  });
});

describe("retention", () => {
  it("removes the files of old runs from R2 and keeps the runs listed, marked purged", async () => {
    const res = await api("/api/reports/runs", {
      method: "POST",
      token: manager.accessToken,
      json: { definition: "stock", params: { limit: 3 }, formats: ["csv"] },
    });
    const { id } = (await res.json()) as { id: string };
    await withTestDb(async (db) => {
      for (let i = 0; i < 100; i++) {
        const [r] = await db.select().from(reportRuns).where(eq(reportRuns.id, id));
        if (r?.status === "succeeded") break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      await db
        .update(reportRuns)
        .set({ createdAt: new Date(Date.now() - 400 * DAY) })
        .where(eq(reportRuns.id, id));
    });
    expect(await testBindings.REPORTS.head(`runs/${id}/stock.csv`)).not.toBeNull();
    const result = await withTestDb((db) => reportRetentionJob.run({ rt: testEnv, db, runId: "test" }));
    expect(result.purgedRuns).toBeGreaterThanOrEqual(1);
    expect(await testBindings.REPORTS.head(`runs/${id}/stock.csv`)).toBeNull();
    const view = (await (await api(`/api/reports/runs/${id}`, { token: manager.accessToken })).json()) as {
      purgedAt: string | null;
      downloads: object;
    };
    expect(view.purgedAt).not.toBeNull();
    expect(view.downloads).toEqual({});
    const listed = (await (await api("/api/reports/runs?definition=stock", { token: manager.accessToken })).json()) as {
      runs: { id: string }[];
    };
    expect(listed.runs.map((r) => r.id)).toContain(id);
  });
});
