/**
 * Incremental sets: rows changed between a full and two increments (new
 * orders, an updated product, a deleted row, a pruned append-only table);
 * the chain restored into the scratch database to the point of the last
 * increment equals the source row for row; a missing or corrupt increment
 * refuses the restore.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../../workers/backups/backup.ts";
import { chainBase } from "../../workers/backups/incremental.ts";
import type { Manifest, TableEntry } from "../../workers/backups/manifest.ts";
import { qualified, quoteIdent } from "../../workers/backups/pg-catalog.ts";
import { validateBackup } from "../../workers/backups/validate.ts";
import { type Database, withDb } from "../../workers/platform/db.ts";
import { order, quiesce, shopper, stocked } from "../checkout/fixtures.ts";
import { testBindings, testEnv, withTestDb } from "../helpers/db.ts";
import { clearFault, injectFault } from "../helpers/events.ts";
import { api } from "../helpers/http.ts";

afterAll(() => quiesce(), 30_000);

const post = async (path: string, json?: unknown) => {
  const res = await api(path, { method: "POST", ...(json === undefined ? {} : { json }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const backup = (base?: Manifest) => withTestDb((db) => runBackup(testEnv, db, base ? { base: chainBase(base)! } : {}));
const table = (m: Manifest, name: string) => m.tables.find((t) => `${t.schema}.${t.table}` === name)!;

/** Every row of every table the set holds, as Postgres writes it, sorted: two databases with equal dumps hold the same rows. */
async function dump(db: Database, tables: readonly TableEntry[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const cols = t.columns.map(quoteIdent).join(", ");
    const r = await db.execute<{ j: string }>(sql.raw(`select row_to_json(r)::text as j from (select ${cols} from ${qualified(t)}) r`));
    out[`${t.schema}.${t.table}`] = r.rows.map((x) => x.j).sort();
  }
  return out;
}
const scratchDb = <T>(fn: (db: Database) => Promise<T>) =>
  withDb({ vars: { ...testEnv.vars, DATABASE_URL: testEnv.vars.BACKUP_SCRATCH_DATABASE_URL! } }, fn);

let full: Manifest;
let first: Manifest;
let second: Manifest;
let source: Record<string, string[]>;

beforeAll(async () => {
  const buyer = await shopper();
  const { skus } = await stocked([1500, 2500], 20);
  await order(buyer.accessToken, [{ sku: skus[0]!, quantity: 1 }]);
  await injectFault("incremental-test", "deleted-after-the-full", 0);
  await quiesce();
  full = await backup();

  // Between the full and the first increment: a new order (timeline rows), an updated product, a deleted row.
  await order(buyer.accessToken, [{ sku: skus[1]!, quantity: 2 }]);
  await withTestDb((db) =>
    db.execute(sql`update catalog.products set name = name || ' (renamed)' where id = (select min(id) from catalog.products)`),
  );
  await clearFault("incremental-test", "deleted-after-the-full");
  await quiesce();
  first = await backup(full);

  // Between the two increments: another order, and an append-only table pruned (as its retention job does).
  await order(buyer.accessToken, [{ sku: skus[0]!, quantity: 1 }]);
  await quiesce();
  await withTestDb((db) =>
    db.execute(sql`delete from events.processed_events where ctid = (select ctid from events.processed_events limit 1)`),
  );
  second = await backup(first);
  source = await withTestDb((db) => dump(db, second.tables));
}, 180_000);

describe("incremental sets", () => {
  it("hold only the rows written since the previous set where a table is append-only, the rest whole, and name their base", () => {
    expect(first).toMatchObject({ kind: "incremental", base: full.id, depth: 1, chainFull: full.id });
    expect(second).toMatchObject({ kind: "incremental", base: first.id, depth: 2, chainFull: full.id });
    const timeline = table(first, "orders.order_timeline");
    expect(timeline.mode).toBe("since");
    expect(timeline.rows).toBeGreaterThan(0);
    expect(timeline.rows).toBeLessThan(timeline.totalRows!);
    expect(timeline.totalRows).toBe(table(full, "orders.order_timeline").rows + timeline.rows);
    // Updated in place: whole. Pruned since the last set: whole for that set, by the count check.
    expect(table(first, "catalog.products").mode).toBeUndefined();
    expect(table(first, "catalog.products").rows).toBe(table(full, "catalog.products").rows);
    expect(table(first, "events.processed_events").mode).toBe("since");
    expect(table(second, "events.processed_events").mode).toBeUndefined();
    expect(first.totals.bytes).toBeLessThan(full.totals.bytes);
  });

  it("restore (full, then each increment in order) to the point of the last increment: every row equals the source", async () => {
    const report = await withTestDb((db) => validateBackup(testEnv, db, second.id, "validate"));
    expect(report.ok, JSON.stringify([report.problems, report.invariants.filter((i) => !i.ok)])).toBe(true);
    expect(report.scratchRestore).toBe("done");
    const restored = await scratchDb((db) => dump(db, second.tables));
    for (const name of Object.keys(source)) expect(restored[name], name).toEqual(source[name]);
    expect(restored["orders.order_timeline"]!.length).toBe(table(second, "orders.order_timeline").totalRows);
    expect(restored["ops.fault_injections"]!.some((r) => r.includes("deleted-after-the-full"))).toBe(false);
  });

  it("refuses a chain with a missing or a corrupt increment", async () => {
    // Corrupt: a byte of one of the first increment's parts flipped.
    const part = table(first, "orders.order_timeline").parts[0]!;
    const original = new Uint8Array(await (await testBindings.BACKUPS.get(part.key))!.arrayBuffer());
    const tampered = original.slice();
    tampered[tampered.length - 8]! ^= 0xff;
    await testBindings.BACKUPS.put(part.key, tampered);
    const corrupt = await withTestDb((db) => validateBackup(testEnv, db, second.id, "validate"));
    expect(corrupt.ok).toBe(false);
    expect(corrupt.problems.join()).toContain(`${part.key}: SHA-256`);
    await testBindings.BACKUPS.put(part.key, original);

    // Missing: the first increment's manifest gone; the second no longer restores.
    const key = `sets/${first.id}/manifest.json`;
    const manifest = await (await testBindings.BACKUPS.get(key))!.text();
    await testBindings.BACKUPS.delete(key);
    const dry = await post(`/api/backups/${second.id}/restore`, { dryRun: true });
    expect(dry.status).toBe(409);
    expect(dry.body.code).toBe("BACKUP_INCOMPLETE");
    expect(String(dry.body.detail)).toContain(first.id);
    expect((await withTestDb((db) => validateBackup(testEnv, db, second.id, "validate"))).ok).toBe(false);
    await testBindings.BACKUPS.put(key, manifest, { customMetadata: { complete: "true", setSha256: first.setSha256 } });
    expect((await post(`/api/backups/${second.id}/restore`, { dryRun: true })).status).toBe(200);
  });

  it("runs as the backup-incremental job on the newest set", async () => {
    const run = await post("/api/scheduler/jobs/backup-incremental/run");
    expect(run.body, JSON.stringify(run.body)).toMatchObject({ outcome: "succeeded", result: { kind: "incremental" } });
    expect((run.body.result as { base: string }).base).toBeTruthy();
  });
});
