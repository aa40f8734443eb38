/**
 * The audit trail: every event lands once in a hash chain that verifies;
 * tampering done directly in the database is detected; the database refuses
 * updates and deletes; retention keeps the chain verifiable.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testBindings, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import worker from "../index.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";

type Verify = { ok: boolean; checked: number; firstBroken: { seq: number; reason: string } | null; anchor: { kind: string } };
type Entry = { seq: number; eventId: string; type: string; subjectId: string; actorId: string | null; payload: Record<string, unknown> };

function event(overrides: Partial<Envelope> = {}): Envelope {
  const id = newId("evt");
  return {
    id,
    type: "ProbeAudited",
    version: 1,
    topic: "order",
    occurredAt: new Date().toISOString(),
    source: "test",
    subjectId: `ord_${id.slice(4)}`,
    correlationId: id,
    actor: { type: "user", id: "usr_auditor" },
    payload: { total: 100, email: "someone@example.com" },
    ...overrides,
  };
}

async function deliver(events: Envelope[]) {
  const batch = createMessageBatch(
    "audit-events",
    events.map((body) => ({ id: crypto.randomUUID(), timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testBindings, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks).toHaveLength(events.length);
}

const verify = async (body?: object): Promise<Verify> =>
  (await (await api("/api/audit/verify", { method: "POST", json: body ?? {} })).json()) as Verify;
const entryOf = (eventId: string) =>
  withTestDb(async (db) => {
    const row = (await db.execute<Entry & Record<string, unknown>>(sql`select * from audit.entries where event_id = ${eventId}`)).rows[0];
    return row ? { ...row, seq: Number(row.seq) } : undefined;
  });

/** Runs SQL with the append-only trigger switched off, as an attacker with table-owner rights could. */
function tamper(statement: ReturnType<typeof sql>) {
  return withTestDb((db) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit.entries disable trigger entries_append_only`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit.entries enable trigger entries_append_only`);
    }),
  );
}

describe("recording", () => {
  it("records each event once, with personal data redacted, and the chain verifies", async () => {
    const e = event();
    await deliver([e, e]);
    await deliver([e]);
    const count = await withTestDb(async (db) => (await db.execute(sql`select 1 from audit.entries where event_id = ${e.id}`)).rows.length);
    expect(count).toBe(1);
    const entry = await entryOf(e.id);
    expect(entry!.payload).toEqual({ total: 100, email: "[redacted]" });
    expect((await verify()).ok).toBe(true);
  });

  it("keeps the chain intact when batches are appended concurrently", async () => {
    await Promise.all(Array.from({ length: 6 }, () => deliver([event(), event(), event()])));
    const result = await verify();
    expect(result.firstBroken).toBeNull();
    expect(result.ok).toBe(true);
  });

  it("receives events published through the outbox and serves an entity timeline", async () => {
    const run = (await (await api("/api/scheduler/jobs/processed-events-prune/run", { method: "POST" })).json()) as { id: string };
    const timeline = await eventually(
      async () => {
        const page = (await (await api(`/api/audit/entities/maintenance/${run.id}`)).json()) as { items: Entry[] };
        return page.items.length > 0 ? page : undefined;
      },
      15_000,
      "the job's event in the audit trail",
    );
    expect(timeline.items[0]).toMatchObject({ type: "JobRunCompleted", subjectId: run.id, actorId: "scheduler" });
  });

  it("searches by actor and type, newest first, with a cursor", async () => {
    const actor = `usr_${crypto.randomUUID().slice(0, 8)}`;
    const events = [
      event({ actor: { type: "user", id: actor } }),
      event({ actor: { type: "user", id: actor } }),
      event({ actor: { type: "user", id: actor }, type: "ProbeOther" }),
    ];
    await deliver(events);
    const first = (await (await api(`/api/audit/entries?actorId=${actor}&type=ProbeAudited&limit=1`)).json()) as {
      items: Entry[];
      nextCursor: string;
    };
    expect(first.items[0]!.eventId).toBe(events[1]!.id);
    const second = (await (
      await api(`/api/audit/entries?actorId=${actor}&type=ProbeAudited&limit=1&cursor=${first.nextCursor}`)
    ).json()) as { items: Entry[]; nextCursor: string | null };
    expect(second.items[0]!.eventId).toBe(events[0]!.id);
    expect(second.nextCursor).toBeNull();
  });
});

describe("paging", () => {
  type Page = { items: Entry[]; nextCursor: string | null };

  /** Follows nextCursor from the first page to the last, as a client would. */
  async function walk(path: string): Promise<Page[]> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`${path}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it("walks a search newest first and a timeline oldest first, every entry exactly once", async () => {
    const actor = `usr_${crypto.randomUUID().slice(0, 8)}`;
    const subjectId = `ord_${crypto.randomUUID().slice(0, 8)}`;
    const events = Array.from({ length: 7 }, () => event({ actor: { type: "user", id: actor }, subjectId }));
    await deliver(events);
    const ids = events.map((e) => e.id);

    const search = await walk(`/api/audit/entries?actorId=${actor}&limit=2`);
    expect(search.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(search.flatMap((p) => p.items.map((e) => e.eventId))).toEqual([...ids].reverse());
    const searchSeqs = search.flatMap((p) => p.items.map((e) => e.seq));
    expect(searchSeqs).toEqual([...searchSeqs].sort((a, b) => b - a));

    const timeline = await walk(`/api/audit/entities/order/${subjectId}?limit=3`);
    expect(timeline.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(timeline.flatMap((p) => p.items.map((e) => e.eventId))).toEqual(ids);
    expect(timeline.at(-1)!.nextCursor).toBeNull();
  });

  it("refuses a cursor of the other list or one made by hand", async () => {
    const actor = `usr_${crypto.randomUUID().slice(0, 8)}`;
    const subjectId = `ord_${crypto.randomUUID().slice(0, 8)}`;
    await deliver(Array.from({ length: 3 }, () => event({ actor: { type: "user", id: actor }, subjectId })));
    const search = (await (await api(`/api/audit/entries?actorId=${actor}&limit=1`)).json()) as Page;
    const timeline = (await (await api(`/api/audit/entities/order/${subjectId}?limit=1`)).json()) as Page;
    const refused = async (path: string) => {
      const res = await api(path);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe("query.cursor");
    };
    await refused(`/api/audit/entities/order/${subjectId}?cursor=${search.nextCursor}`);
    await refused(`/api/audit/entries?actorId=${actor}&cursor=${timeline.nextCursor}`);
    // The old cursor, a bare seq, is no longer one.
    await refused(`/api/audit/entries?actorId=${actor}&cursor=${search.items[0]!.seq}`);
  });
});

describe("tamper evidence", () => {
  it("detects a modified entry", async () => {
    const e = event();
    await deliver([e]);
    const entry = (await entryOf(e.id))!;
    await tamper(sql`update audit.entries set payload = '{"total": 1}'::jsonb where seq = ${entry.seq}`);
    try {
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken, JSON.stringify(result)).toMatchObject({ seq: entry.seq, reason: "content-changed" });
    } finally {
      await tamper(sql`update audit.entries set payload = ${JSON.stringify(entry.payload)}::jsonb where seq = ${entry.seq}`);
    }
    expect((await verify()).ok).toBe(true);
  });

  it("detects a deleted entry", async () => {
    const [a, b] = [event(), event()];
    await deliver([a]);
    await deliver([b]);
    const removed = await withTestDb(
      async (db) => (await db.execute<Record<string, unknown>>(sql`select * from audit.entries where event_id = ${a.id}`)).rows[0]!,
    );
    await tamper(sql`delete from audit.entries where seq = ${removed.seq}`);
    try {
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken!.reason).toBe("link-broken");
      expect(result.firstBroken!.seq).toBeGreaterThan(Number(removed.seq));
    } finally {
      await withTestDb((db) =>
        db.execute(
          sql`insert into audit.entries select * from json_populate_record(null::audit.entries, ${JSON.stringify(removed)}::json)`,
        ),
      );
    }
    expect((await verify()).ok).toBe(true);
  });

  it("detects reordered entries", async () => {
    const [a, b] = [event(), event()];
    await deliver([a]);
    await deliver([b]);
    const [ea, eb] = [(await entryOf(a.id))!, (await entryOf(b.id))!];
    const swap = async (x: Entry, y: Entry) => {
      await tamper(sql`update audit.entries set seq = -1 where seq = ${x.seq}`);
      await tamper(sql`update audit.entries set seq = ${x.seq} where seq = ${y.seq}`);
      await tamper(sql`update audit.entries set seq = ${y.seq} where seq = -1`);
    };
    await swap(ea, eb);
    try {
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken!.seq).toBe(Math.min(ea.seq, eb.seq));
    } finally {
      await swap(ea, eb);
    }
    expect((await verify()).ok).toBe(true);
  });

  it("is enforced by the database: updates, deletes and truncation are refused", async () => {
    const e = event();
    await deliver([e]);
    const refusal = (statement: ReturnType<typeof sql>) =>
      withTestDb((db) => db.execute(statement)).then(
        () => "accepted",
        (err: Error & { cause?: Error }) => (err.cause ?? err).message,
      );
    expect(await refusal(sql`update audit.entries set type = 'X' where event_id = ${e.id}`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from audit.entries where event_id = ${e.id}`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate audit.entries`)).toMatch(/append-only: TRUNCATE refused/);
    await withTestDb((db) =>
      db.execute(
        sql`insert into audit.checkpoints (id, seq, hash, entries_verified, signature) values (${newId("ckp")}, 0, ${"c".repeat(64)}, 0, 'unsigned')`,
      ),
    );
    expect(await refusal(sql`delete from audit.checkpoints`)).toMatch(/append-only: DELETE refused/);
    // Retention mode does not open entries that no checkpoint covers.
    const inRetentionMode = await withTestDb((db) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local audit.retention = 'on'`);
        await tx.execute(sql`delete from audit.entries where event_id = ${e.id}`);
      }),
    ).then(
      () => "accepted",
      (err: Error & { cause?: Error }) => (err.cause ?? err).message,
    );
    expect(inRetentionMode).toMatch(/append-only: DELETE refused/);
    expect(await entryOf(e.id)).toBeDefined();
  });
});

describe("checkpoints and retention", () => {
  it("removes expired entries a checkpoint covers and the remaining chain still verifies", async () => {
    const old = [
      event({ type: "ProbeExpiring", occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString() }),
      event({ type: "ProbeExpiring", occurredAt: new Date(Date.now() - 41 * 86_400_000).toISOString() }),
    ];
    const kept = event({ occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString() });
    await deliver([...old, kept]);

    const checkpointRun = (await (await api("/api/scheduler/jobs/audit-verify/run", { method: "POST" })).json()) as {
      outcome: string;
      result: { checkpoint: string };
    };
    expect(checkpointRun.outcome).toBe("succeeded");
    const retention = (await (await api("/api/scheduler/jobs/audit-retention/run", { method: "POST" })).json()) as {
      outcome: string;
      result: { deleted: number };
    };
    expect(retention.outcome).toBe("succeeded");
    expect(retention.result.deleted).toBeGreaterThanOrEqual(2);
    for (const e of old) expect(await entryOf(e.id)).toBeUndefined();
    expect(await entryOf(kept.id)).toBeDefined();

    await deliver([event()]);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, anchor: { kind: "checkpoint" } });
  });

  it("ignores a forged checkpoint", async () => {
    await withTestDb((db) =>
      db.execute(
        sql`insert into audit.checkpoints (id, seq, hash, entries_verified, signature) values (${newId("ckp")}, 999999999, ${"a".repeat(64)}, 0, ${"b".repeat(64)})`,
      ),
    );
    await deliver([event()]);
    expect((await verify()).ok).toBe(true);
  });
});

describe("access", () => {
  it("is for admin and support only", async () => {
    expect((await api("/api/audit/entries", { token: null })).status).toBe(401);
    expect((await api("/api/audit/verify", { method: "POST", token: null })).status).toBe(401);
  });

  it("validates its inputs", async () => {
    expect((await api("/api/audit/entries?from=yesterday")).status).toBe(422);
    expect((await api("/api/audit/verify", { method: "POST", json: { fromSeq: -1 } })).status).toBe(422);
  });
});
