/**
 * A SKU whose ledger spans several pages: its object exports in bounded
 * pages that together are the SKU as it stood at the first page (writes in
 * between are not mixed in), the backup stores one line per page, the
 * validation walks the ledger across pages, and a restore brings back
 * every movement.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../../workers/backups/backup.ts";
import { encodePart, sha256Hex } from "../../workers/backups/codec.ts";
import { allParts, type Manifest, setSha256 } from "../../workers/backups/manifest.ts";
import { type ObjectLine, snapshotStub } from "../../workers/backups/object-export.ts";
import { planRestore, restoreBackup } from "../../workers/backups/restore.ts";
import { backupsBucket, partLines } from "../../workers/backups/sets.ts";
import { validateBackup } from "../../workers/backups/validate.ts";
import type { Inventory } from "../../workers/inventory/index.ts";
import type { ObjectSnapshot } from "../../workers/platform/cloudflare/object-snapshot.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { quiesce, stocked, stockLevel } from "../checkout/fixtures.ts";
import { testBindings, testEnv, withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";

afterAll(() => quiesce(), 30_000);

const PAGE_ROWS = 7;
const paged: Runtime = Object.create(testEnv, { vars: { value: { ...testEnv.vars, BACKUP_OBJECT_PAGE_ROWS: String(PAGE_ROWS) } } });
const inventory = (sku: string) => testEnv.objects.get<Inventory>("INVENTORY", sku);
const restock = async (sku: string, quantity: number) =>
  expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity } })).status).toBe(200);
const ledgerOf = async (sku: string) => (await inventory(sku).ledger(sku, { limit: 1000, order: "asc" })).map((m) => ({ ...m }));
const ledgerRows = (s: ObjectSnapshot) => s.tables.ledger?.rows ?? [];

let sku: string;
let other: string;

beforeAll(async () => {
  const { skus } = await stocked([900, 1200], 5);
  [sku, other] = skus as [string, string];
  // 1 opening movement and 24 restocks: 25 movements, four pages of seven.
  for (let i = 1; i <= 24; i++) await restock(sku, i);
  await quiesce();
}, 120_000);

describe("a long ledger in pages", () => {
  it("exports bounded pages that add up to the SKU as it stood at the first page, whatever is written in between", async () => {
    const stub = snapshotStub(testEnv, "inventory", sku);
    const first = await stub.exportSnapshotPage(null, PAGE_ROWS);
    expect(ledgerRows(first.snapshot)).toHaveLength(PAGE_ROWS);
    expect(first.snapshot.tables.stock!.rows).toHaveLength(1);
    expect(first.next).not.toBeNull();
    await restock(sku, 1000); // A write between pages: not part of this snapshot.
    const pages = [first.snapshot];
    for (let next = first.next; next; ) {
      const page = await stub.exportSnapshotPage(next, PAGE_ROWS);
      expect(ledgerRows(page.snapshot).length).toBeLessThanOrEqual(PAGE_ROWS);
      expect(Object.keys(page.snapshot.tables)).toEqual(["ledger"]);
      pages.push(page.snapshot);
      next = page.next;
    }
    const seqCol = first.snapshot.tables.ledger!.columns.indexOf("seq");
    const seqs = pages.flatMap((p) => ledgerRows(p).map((r) => Number(r[seqCol])));
    expect(pages).toHaveLength(4);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => seqs[0]! + i));
    const state = JSON.parse(String(first.snapshot.tables.stock!.rows[0]![1])) as { onHand: number };
    expect(state.onHand).toBe(5 + (24 * 25) / 2); // The level of the first page, without the 1000 written after it.
  });

  it("backs up one line per page, validates across pages, and restores every movement", async () => {
    const m: Manifest = await withTestDb((db) => runBackup(paged, db));
    const before = await ledgerOf(sku);
    expect(before).toHaveLength(26);

    const lines: ObjectLine[] = [];
    for (const part of m.objects.find((o) => o.kind === "inventory")!.parts)
      for (const raw of await partLines(backupsBucket(testEnv), part, null)) lines.push(JSON.parse(raw) as ObjectLine);
    const mine = lines.filter((l) => l.name === sku);
    expect(mine.map((l) => [l.page ?? 0, l.more ?? false])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(mine.every((l) => ledgerRows(l.snapshot).length <= PAGE_ROWS)).toBe(true);
    expect(lines.filter((l) => l.name === other).map((l) => l.more ?? false)).toEqual([false]);
    expect(m.objects.find((o) => o.kind === "inventory")!.objects).toBe(lines.filter((l) => !l.page).length);

    const report = await withTestDb((db) => validateBackup(paged, db, m.id, "validate"));
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.invariants.find((i) => i.name.includes("ledger"))).toMatchObject({ ok: true });

    // Changed after the backup, then restored alone: the 26 movements come back, the later one goes.
    await restock(sku, 3);
    expect(await ledgerOf(sku)).toHaveLength(27);
    const scope = { schemas: [], objects: { kinds: ["inventory" as const], names: [sku] } };
    const done = await withTestDb(async (db) => {
      const plan = await planRestore(paged, db, m.id, scope);
      return restoreBackup(paged, db, m.id, scope, plan.confirmationToken);
    });
    expect(done.objects).toEqual({ inventory: { restored: 1, emptied: 0 } });
    expect(await ledgerOf(sku)).toEqual(before);
    expect(await stockLevel(sku)).toMatchObject({ onHand: 5 + (24 * 25) / 2 + 1000 });
  });

  it("fails validation of a set that lost a ledger page, even with its checksums made to match", async () => {
    const m: Manifest = await withTestDb((db) => runBackup(paged, db));
    const entry = m.objects.find((o) => o.kind === "inventory")!;
    const isLastPage = (l: string) => {
      const line = JSON.parse(l) as ObjectLine;
      return line.name === sku && line.page === 3;
    };
    let part = entry.parts[0]!;
    let raw: string[] = [];
    for (const p of entry.parts) {
      raw = await partLines(backupsBucket(testEnv), p, null);
      part = p;
      if (raw.some(isLastPage)) break;
    }
    const kept = raw.filter((l) => !isLastPage(l));
    expect(kept).toHaveLength(raw.length - 1);
    // A forger who rewrites the part and every checksum over it: only the walk across pages can tell.
    const bytes = await encodePart(`${kept.join("\n")}\n`, null);
    const forgedPart = { ...part, sha256: await sha256Hex(bytes), bytes: bytes.length, rows: kept.length };
    await testBindings.BACKUPS.put(part.key, bytes);
    const objects = m.objects.map((o) => (o === entry ? { ...o, parts: o.parts.map((p) => (p === part ? forgedPart : p)) } : o));
    const forged = { ...m, objects, setSha256: await setSha256(allParts({ tables: m.tables, objects })) };
    await testBindings.BACKUPS.put(`sets/${m.id}/manifest.json`, JSON.stringify(forged));

    const report = await withTestDb((db) => validateBackup(paged, db, m.id, "validate"));
    expect(report.ok).toBe(false);
    expect(report.invariants.find((i) => i.name.includes("ledger"))!.offenders.join()).toContain(`${sku}: its last page is missing`);
  });
});
