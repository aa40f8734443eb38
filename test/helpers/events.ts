/** Helpers to look at the event backbone's tables from tests. */
import { sql } from "drizzle-orm";
import { withTestDb } from "./db.ts";

export interface OutboxRow {
  id: string;
  published_at: string | null;
  claimed_until: string | null;
  attempts: number;
}

export function outboxRow(id: string): Promise<OutboxRow | undefined> {
  return withTestDb(
    async (db) =>
      (
        await db.execute<OutboxRow & Record<string, unknown>>(
          sql`select id, published_at, claimed_until, attempts from events.outbox where id = ${id}`,
        )
      ).rows[0],
  );
}

export function processedBy(consumer: string, eventId: string): Promise<boolean> {
  return withTestDb(
    async (db) =>
      (await db.execute(sql`select 1 from events.processed_events where consumer = ${consumer} and event_id = ${eventId}`)).rows.length > 0,
  );
}

export function statReceived(topic: string, type: string): Promise<number> {
  return withTestDb(async (db) => {
    const r = await db.execute<{ received: string }>(
      sql`select received from pipeline.event_stats where topic = ${topic} and type = ${type}`,
    );
    return Number(r.rows[0]?.received ?? 0);
  });
}

export function injectFault(point: string, key: string, remaining: number | null): Promise<void> {
  return withTestDb(async (db) => {
    await db.execute(sql`insert into ops.fault_injections (point, key, remaining) values (${point}, ${key}, ${remaining})
      on conflict (point, key) do update set remaining = excluded.remaining`);
  });
}

export function clearFault(point: string, key: string): Promise<void> {
  return withTestDb(async (db) => {
    await db.execute(sql`delete from ops.fault_injections where point = ${point} and key = ${key}`);
  });
}

/** A unique event type name, so statistics assertions are not shared with other tests. */
export function probeType(label: string): string {
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => String.fromCharCode(97 + (b % 26))).join("");
  return `Probe${label}${letters}`;
}
