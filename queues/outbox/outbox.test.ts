/**
 * The outbox: an event commits with its change and not without it; the relay
 * publishes it after commit; the cron sweep publishes what a crash left.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobRuns } from "../../db/schema/scheduler.ts";
import { testBindings, testEnv, withTestDb } from "../../test/helpers/db.ts";
import { outboxRow, processedBy } from "../../test/helpers/events.ts";
import { eventually } from "../../test/helpers/http.ts";
import worker from "../../workers/index.ts";
import { newId } from "../../workers/platform/ids.ts";
import { JobRunCompleted } from "../contracts/events/maintenance.ts";
import { transactionWithEvents } from "./outbox.ts";
import { relayAfterCommit, relayOutbox } from "./relay.ts";

const payload = (runId: string) => ({
  runId,
  job: "test-job",
  trigger: "manual" as const,
  outcome: "succeeded" as const,
  durationMs: 5,
  error: null,
});

/** A real change (a job-run row) and its event, in one transaction. */
function changeWithEvent(runId: string, afterCommit: (ids: string[]) => void, failAfterWrite = false) {
  return withTestDb((db) =>
    transactionWithEvents(
      db,
      async (tx, events) => {
        await tx.insert(jobRuns).values({ id: runId, job: "test-job", trigger: "manual", outcome: "succeeded", finishedAt: new Date() });
        const event = await events.emit(JobRunCompleted, {
          subjectId: runId,
          source: "test",
          correlationId: runId,
          payload: payload(runId),
        });
        if (failAfterWrite) throw new Error("the change failed after writing");
        return event;
      },
      afterCommit,
    ),
  );
}

describe("transactional outbox", () => {
  it("writes the event in the same transaction as the change", async () => {
    const runId = newId("run");
    let seenFromOutside: number | undefined;
    const event = await withTestDb((db) =>
      transactionWithEvents(
        db,
        async (tx, events) => {
          await tx.insert(jobRuns).values({ id: runId, job: "test-job", trigger: "manual", outcome: "running" });
          const e = await events.emit(JobRunCompleted, { subjectId: runId, source: "test", correlationId: runId, payload: payload(runId) });
          // Another connection must not see the event before the change commits.
          seenFromOutside = await withTestDb(
            async (other) => (await other.execute(sql`select 1 from events.outbox where id = ${e.id}`)).rows.length,
          );
          return e;
        },
        () => undefined,
      ),
    );
    expect(seenFromOutside).toBe(0);
    const row = await outboxRow(event.id);
    expect(row).toBeDefined();
    expect(row!.published_at).toBeNull();
    const run = await withTestDb((db) => db.select().from(jobRuns).where(eq(jobRuns.id, runId)));
    expect(run).toHaveLength(1);
  });

  it("leaves neither change nor event after a rollback, and publishes nothing", async () => {
    const runId = newId("run");
    let afterCommitCalled = false;
    await expect(changeWithEvent(runId, () => (afterCommitCalled = true), true)).rejects.toThrow("the change failed");
    expect(afterCommitCalled).toBe(false);
    const counts = await withTestDb(async (db) => {
      const runs = await db.execute(sql`select 1 from scheduler.job_runs where id = ${runId}`);
      const events = await db.execute(sql`select 1 from events.outbox where envelope->>'subjectId' = ${runId}`);
      return [runs.rows.length, events.rows.length];
    });
    expect(counts).toEqual([0, 0]);
  });

  it("refuses an event whose payload breaks its contract, rolling back the change", async () => {
    const runId = newId("run");
    await expect(
      withTestDb((db) =>
        transactionWithEvents(
          db,
          async (tx, events) => {
            await tx.insert(jobRuns).values({ id: runId, job: "test-job", trigger: "manual", outcome: "running" });
            await events.emit(JobRunCompleted, {
              subjectId: runId,
              source: "test",
              correlationId: runId,
              payload: { ...payload(runId), durationMs: -1 },
            });
          },
          () => undefined,
        ),
      ),
    ).rejects.toThrow();
    expect(await withTestDb(async (db) => (await db.execute(sql`select 1 from scheduler.job_runs where id = ${runId}`)).rows.length)).toBe(
      0,
    );
  });

  it("publishes right after commit through the relay, and consumers receive it", async () => {
    const ctx = createExecutionContext();
    const event = await changeWithEvent(newId("run"), (ids) => relayAfterCommit({ ...testEnv, waitUntil: (p) => ctx.waitUntil(p) }, ids));
    await waitOnExecutionContext(ctx);
    expect((await outboxRow(event.id))!.published_at).not.toBeNull();
    // maintenance events go to the audit and pipeline groups; the pipeline records it.
    await eventually(async () => ((await processedBy("pipeline", event.id)) ? true : undefined), 15_000, "pipeline to process the event");
  });

  it("recovers with the cron sweep after a crash between commit and publish", async () => {
    // The process dies right after the commit: the after-commit relay never runs.
    const event = await changeWithEvent(newId("run"), () => undefined);
    expect((await outboxRow(event.id))!.published_at).toBeNull();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), testBindings, ctx);
    await waitOnExecutionContext(ctx);

    expect((await outboxRow(event.id))!.published_at).not.toBeNull();
    await eventually(
      async () => ((await processedBy("pipeline", event.id)) ? true : undefined),
      15_000,
      "pipeline to process the swept event",
    );
  });

  it("takes over rows a crashed relay had claimed once the claim lapses", async () => {
    const event = await changeWithEvent(newId("run"), () => undefined);
    // A relay claimed the row and died before sending.
    await withTestDb((db) =>
      db.execute(sql`update events.outbox set claimed_until = now() + interval '1 minute', attempts = 1 where id = ${event.id}`),
    );
    await withTestDb((db) => relayOutbox(db, testEnv));
    expect((await outboxRow(event.id))!.published_at).toBeNull();

    // The claim lapses; the next sweep publishes it.
    await withTestDb((db) => db.execute(sql`update events.outbox set claimed_until = now() - interval '1 second' where id = ${event.id}`));
    const result = await withTestDb((db) => relayOutbox(db, testEnv));
    expect(result.published).toBeGreaterThanOrEqual(1);
    const row = await outboxRow(event.id);
    expect(row!.published_at).not.toBeNull();
    expect(row!.attempts).toBe(2);
  });

  it("never publishes one event twice when relays race", async () => {
    const events = await Promise.all(Array.from({ length: 5 }, () => changeWithEvent(newId("run"), () => undefined)));
    const ids = events.map((e) => e.id);
    const results = await Promise.all(Array.from({ length: 4 }, () => withTestDb((db) => relayOutbox(db, testEnv, { ids }))));
    expect(results.reduce((n, r) => n + r.published, 0)).toBe(5);
    for (const id of ids) expect((await outboxRow(id))!.attempts).toBe(1);
  });
});
