/**
 * Appending a consumer batch to the chain: one lock and one read of the
 * chain's end per transaction, then one insert per entry; entries of racing
 * batches still link one after another with consecutive numbers.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { openDb } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import { newRequestCost } from "../platform/server-timing.ts";
import { appendAuditEntry } from "./append.ts";

function probe(): Envelope {
  const id = newId("evt");
  return {
    id,
    type: "ProbeAppended",
    version: 1,
    topic: "order",
    occurredAt: new Date().toISOString(),
    source: "test",
    subjectId: `ord_${id.slice(4)}`,
    correlationId: id,
    actor: null,
    payload: { n: 1 },
  };
}

/** Appends `events` in one transaction; answers the statements it sent. */
async function appendBatch(events: Envelope[]): Promise<number> {
  const cost = newRequestCost();
  const handle = openDb(testEnv, cost);
  try {
    await handle.db.transaction(async (tx) => {
      for (const e of events) await appendAuditEntry(tx, e);
    });
  } finally {
    await handle.close();
  }
  return cost.statements;
}

async function entriesOf(ids: string[]) {
  const handle = openDb(testEnv);
  try {
    const r = await handle.db.execute<{ seq: string; prev_hash: string; hash: string; event_id: string }>(
      sql`select seq, prev_hash, hash, event_id from audit.entries where event_id = any(${sql.param(ids)}::text[]) order by seq`,
    );
    return r.rows.map((row) => ({ seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash, eventId: row.event_id }));
  } finally {
    await handle.close();
  }
}

describe("appending a batch", () => {
  it("costs one statement per further entry after the first one's lock and read", async () => {
    const one = await appendBatch([probe()]);
    const batch = Array.from({ length: 20 }, probe);
    const twenty = await appendBatch(batch);
    expect(twenty - one).toBe(19);
    const entries = await entriesOf(batch.map((e) => e.id));
    expect(entries.map((e) => e.eventId)).toEqual(batch.map((e) => e.id));
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.seq).toBe(entries[i - 1]!.seq + 1);
      expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    }
  });

  it("links racing batches one after another, each batch's entries consecutive", async () => {
    const batches = Array.from({ length: 6 }, () => Array.from({ length: 5 }, probe));
    await Promise.all(batches.map(appendBatch));
    const entries = await entriesOf(batches.flat().map((e) => e.id));
    expect(entries).toHaveLength(30);
    for (const batch of batches) {
      const seqs = entries.filter((e) => batch.some((b) => b.id === e.eventId)).map((e) => e.seq);
      expect(seqs.at(-1)! - seqs[0]!).toBe(4);
    }
    // Every racing entry links to the entry just before it in the whole chain.
    const handle = openDb(testEnv);
    try {
      const min = entries[0]!.seq;
      const max = entries.at(-1)!.seq;
      const chain = await handle.db.execute<{ seq: string; prev_hash: string; hash: string }>(
        sql`select seq, prev_hash, hash from audit.entries where seq between ${min - 1} and ${max} order by seq`,
      );
      for (let i = 1; i < chain.rows.length; i++) {
        expect(Number(chain.rows[i]!.seq)).toBe(Number(chain.rows[i - 1]!.seq) + 1);
        expect(chain.rows[i]!.prev_hash).toBe(chain.rows[i - 1]!.hash);
      }
    } finally {
      await handle.close();
    }
  });
});
