/** The scheduler: cron dispatch, the run log, manual triggers, failures, no overlap, the R2 archive. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobRuns } from "../../db/schema/scheduler.ts";
import { testBindings, testEnv, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { api } from "../../test/helpers/http.ts";
import { FAMILIES } from "../families.ts";
import worker from "../index.ts";
import { newId } from "../platform/ids.ts";
import { jobRegistry } from "../platform/job.ts";
import { type JobRun, runJob } from "./runner.ts";

const findJob = jobRegistry(FAMILIES.flatMap((f) => f.jobs ?? [])).find;

type RunBody = {
  id: string;
  job: string;
  trigger: string;
  cron: string | null;
  outcome: string;
  error: string | null;
  result: Record<string, unknown> | null;
  startedAt: string;
  finishedAt: string | null;
};

async function runCron(cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), testBindings, ctx);
  await waitOnExecutionContext(ctx);
}

const latestRun = (job: string) =>
  withTestDb(async (db) => (await db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.id)).limit(1))[0]);

describe("cron dispatch", () => {
  it("runs every job registered for the fired cron expression and logs each run", async () => {
    const before = Date.now();
    await runCron("17 3 * * *");
    for (const job of ["outbox-archive", "processed-events-prune"]) {
      const run = await latestRun(job);
      expect(run).toMatchObject({ job, trigger: "cron", cron: "17 3 * * *", outcome: "succeeded", error: null });
      expect(run!.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(run!.finishedAt!.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());
    }
  });

  it("runs nothing for an unknown expression", async () => {
    const count = () =>
      withTestDb(async (db) => Number((await db.execute<{ n: string }>(sql`select count(*) as n from scheduler.job_runs`)).rows[0]!.n));
    const before = await count();
    await runCron("0 0 1 1 *");
    expect(await count()).toBe(before);
  });
});

describe("admin endpoints", () => {
  it("lists jobs and triggers one by name, recording the run", async () => {
    const jobs = (await (await api("/api/scheduler/jobs")).json()) as { items: { name: string; crons: string[] }[] };
    expect(jobs.items.map((j) => j.name)).toEqual(expect.arrayContaining(["outbox-sweep", "outbox-archive", "processed-events-prune"]));

    const res = await api("/api/scheduler/jobs/outbox-sweep/run", { method: "POST" });
    expect(res.status).toBe(200);
    const run = (await res.json()) as RunBody;
    expect(run).toMatchObject({ job: "outbox-sweep", trigger: "manual", outcome: "succeeded" });
    expect(run.result).toHaveProperty("published");

    const runs = (await (await api("/api/scheduler/runs?job=outbox-sweep&limit=5")).json()) as { items: RunBody[] };
    expect(runs.items[0]!.id).toBe(run.id);
  });

  it("pages through the run log newest first with nextCursor, every run exactly once", async () => {
    const job = `cursor-walk-${crypto.randomUUID().slice(0, 8)}`;
    // Ids made a millisecond apart sort in the order they were made.
    const ids = Array.from({ length: 7 }, (_, i) => newId("run", Date.now() - 10_000 + i));
    await withTestDb((db) =>
      db.insert(jobRuns).values(ids.map((id) => ({ id, job, trigger: "manual" as const, outcome: "succeeded" as const }))),
    );

    type Page = { items: RunBody[]; nextCursor: string | null };
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/api/scheduler/runs?job=${job}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual([...ids].reverse());
    expect(pages.at(-1)!.nextCursor).toBeNull();

    // The cursor is opaque and belongs to this list: not a run id, and refused by other lists.
    const next = pages[0]!.nextCursor!;
    expect(next).not.toBe(pages[0]!.items[2]!.id);
    for (const path of [`/api/audit/entries?cursor=${next}`, `/api/pipeline/dead-letters?cursor=${next}`]) {
      const res = await api(path);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe("query.cursor");
    }
    // A run id, the old cursor, is refused too.
    expect((await api(`/api/scheduler/runs?job=${job}&cursor=${ids[3]}`)).status).toBe(422);
  });

  it("answers 404 for an unknown job and 422 for a malformed name", async () => {
    expect((await api("/api/scheduler/jobs/no-such-job/run", { method: "POST" })).status).toBe(404);
    expect((await api("/api/scheduler/jobs/Bad%20Name/run", { method: "POST" })).status).toBe(422);
  });

  it("is for admins only", async () => {
    expect((await api("/api/scheduler/runs", { token: null })).status).toBe(401);
  });
});

describe("failures and overlap", () => {
  it("logs a failed run with its error and announces it through the outbox", async () => {
    await injectFault("job:processed-events-prune", "run", 1);
    try {
      const res = await api("/api/scheduler/jobs/processed-events-prune/run", { method: "POST" });
      const run = (await res.json()) as RunBody;
      expect(run.outcome).toBe("failed");
      expect(run.error).toContain("injected fault");
      const events = await withTestDb(
        async (db) =>
          (
            await db.execute<{ envelope: { payload: { outcome: string; runId: string } } }>(
              sql`select envelope from events.outbox where envelope->>'subjectId' = ${run.id}`,
            )
          ).rows,
      );
      expect(events).toHaveLength(1);
      expect(events[0]!.envelope.payload).toMatchObject({ runId: run.id, outcome: "failed" });
    } finally {
      await clearFault("job:processed-events-prune", "run");
    }
  });

  it("skips a run while another run of the same job holds the lease", async () => {
    const job = findJob("outbox-sweep")!;
    const lease = testBindings.JOB_LEASE.get(testBindings.JOB_LEASE.idFromName(job.name));
    expect((await lease.acquire("run_HELDBYANOTHERISOLATE", 60_000)).acquired).toBe(true);
    try {
      const skipped = await runJob(testEnv, job, { trigger: "manual" });
      expect(skipped.outcome).toBe("skipped");
      expect(skipped.error).toContain("run_HELDBYANOTHERISOLATE");
    } finally {
      await lease.release("run_HELDBYANOTHERISOLATE");
    }
    const next = await runJob(testEnv, job, { trigger: "manual" });
    expect(next.outcome).toBe("succeeded");
  });

  it("never lets racing runs of one job overlap", async () => {
    const job = findJob("processed-events-prune")!;
    const runs: JobRun[] = await Promise.all(Array.from({ length: 6 }, () => runJob(testEnv, job, { trigger: "manual" })));
    const ran = runs.filter((r) => r.outcome !== "skipped").sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(runs.filter((r) => r.outcome === "skipped").length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < ran.length; i++) expect(ran[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(ran[i - 1]!.finishedAt!.getTime());
  });
});

describe("outbox archive to R2", () => {
  it("moves published events past retention into an NDJSON object and deletes them", async () => {
    const id = newId("evt");
    const envelope = {
      id,
      type: "JobRunCompleted",
      version: 1,
      topic: "maintenance",
      occurredAt: new Date().toISOString(),
      source: "test",
      subjectId: "old",
      correlationId: id,
      actor: null,
      payload: {},
    };
    await withTestDb((db) =>
      db.execute(sql`insert into events.outbox (id, topic, type, envelope, created_at, published_at)
        values (${id}, 'maintenance', 'JobRunCompleted', ${JSON.stringify(envelope)}::jsonb, now() - interval '9 days', now() - interval '8 days')`),
    );
    const res = await api("/api/scheduler/jobs/outbox-archive/run", { method: "POST" });
    const run = (await res.json()) as RunBody;
    expect(run.outcome).toBe("succeeded");
    expect(Number(run.result!.archived)).toBeGreaterThanOrEqual(1);
    const object = await testBindings.BACKUPS.get(String(run.result!.object));
    const lines = (await object!.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toContain(id);
    expect(await withTestDb(async (db) => (await db.execute(sql`select 1 from events.outbox where id = ${id}`)).rows.length)).toBe(0);
  });
});
