/**
 * The whole shop lost and brought back from R2: a seeded system with orders
 * in every resting state, a filled cart and live holds is backed up, every
 * table and every seeded object is destroyed, and the restore (dry run,
 * then confirmed) gives back every API read and every invariant as before.
 * Then a newer change makes an unconfirmed restore refuse to run.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditChainInvariant, paymentInvariants } from "../../workers/backups/invariants.ts";
import type { Manifest } from "../../workers/backups/manifest.ts";
import { quiesce } from "../checkout/fixtures.ts";
import { testEnv, withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";
import { apiReads, destroyEverything, type SeededShop, seedShop } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

let shop: SeededShop;
let before: Record<string, unknown>;
let backupId: string;
let manifest: Manifest;

/** The invariants over the live database, and the outbox as the relay sees it (ids and whether published). */
const invariantsAndOutbox = () =>
  withTestDb(async (db) => ({
    invariants: [...(await paymentInvariants(db)), await auditChainInvariant(testEnv, db)],
    outbox: (await db.execute(sql`select id, published_at is not null as published from events.outbox order by seq`)).rows,
  }));
let beforeState: Awaited<ReturnType<typeof invariantsAndOutbox>>;

const post = async (path: string, json?: unknown) => {
  const res = await api(path, { method: "POST", ...(json === undefined ? {} : { json }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  shop = await seedShop();
  before = await apiReads(shop);
  beforeState = await invariantsAndOutbox();
}, 120_000);

describe("a full round trip", () => {
  it("backs up through the scheduler's job, with a complete manifest whose counts match its progress record", async () => {
    const run = await post("/api/backups");
    expect(run.status).toBe(200);
    expect(run.body.outcome).toBe("succeeded");
    backupId = run.body.backupId as string;
    const got = await api(`/api/backups/${backupId}`);
    const body = (await got.json()) as { manifest: Manifest; operation: { status: string; rowsDone: number; bytesDone: number } };
    manifest = body.manifest;
    expect(manifest).toMatchObject({ id: backupId, complete: true, kind: "full", encrypted: false });
    expect(body.operation).toMatchObject({ status: "complete", rowsDone: manifest.totals.rows, bytesDone: manifest.totals.bytes });
    const table = (name: string) => manifest.tables.find((t) => `${t.schema}.${t.table}` === name)!;
    expect(table("orders.orders").rows).toBeGreaterThanOrEqual(6);
    expect(table("audit.entries").rows).toBeGreaterThan(0);
    expect(Object.keys(manifest.schemaVersion)).toEqual(expect.arrayContaining(["orders", "payments", "catalog", "audit"]));
    // Referenced tables come before the tables that reference them.
    const order = manifest.tables.map((t) => `${t.schema}.${t.table}`);
    expect(order.indexOf("catalog.products")).toBeLessThan(order.indexOf("catalog.variants"));
    const objects = Object.fromEntries(manifest.objects.map((o) => [o.kind, o.objects]));
    expect(objects.inventory).toBeGreaterThanOrEqual(3);
    expect(objects.cart).toBeGreaterThanOrEqual(1);
    expect(objects.reservation).toBeGreaterThanOrEqual(1);
    // Small parts in the tests: a table of this size spans several.
    expect(manifest.totals.parts).toBeGreaterThan(manifest.tables.filter((t) => t.rows > 0).length);
  });

  it("validates the backup in the scratch database: checksums, counts, ledgers, money and audit chain", async () => {
    const res = await post(`/api/backups/${backupId}/validate`);
    expect(res.status).toBe(200);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true, problems: [], scratchRestore: "done" });
    const invariants = res.body.invariants as { name: string; ok: boolean; checked: number }[];
    expect(invariants.map((i) => i.name)).toEqual([
      "every SKU's stock ledger adds up",
      "sold orders captured their total; cancelled orders kept nothing",
      "no payment refunded more than it captured",
      "audit hash chain verifies",
    ]);
    for (const i of invariants) expect(i.checked, i.name).toBeGreaterThan(0);
  });

  it("after the database and the objects are lost, restores every API read exactly as it was", async () => {
    const reservations = await withTestDb(async (db) => {
      const ids = Object.values(shop.orders);
      const r = await db.execute<{ id: string }>(
        sql`select reservation_id as id from orders.orders where id = any(${sql.param(ids)}::text[])`,
      );
      return r.rows.map((x) => x.id);
    });
    expect(reservations).toHaveLength(6);
    await destroyEverything(shop, reservations);
    const lost = await apiReads(shop);
    expect(lost).not.toEqual(before);
    expect((lost[`stock:${shop.skus[0]}`] as { status: number }).status).not.toBe(200);

    const refused = await post(`/api/backups/${backupId}/restore`, { dryRun: false });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("BACKUP_CONFIRMATION_REQUIRED");

    const plan = await post(`/api/backups/${backupId}/restore`, { dryRun: true });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ dryRun: true, backupId, overwritesNewerData: false });
    const restored = await post(`/api/backups/${backupId}/restore`, { dryRun: false, confirmationToken: plan.body.confirmationToken });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.rows).toBe(manifest.tables.reduce((n, t) => n + t.rows, 0));

    expect(await apiReads(shop)).toEqual(before);
    // The same invariants hold over the same data, and the outbox holds the same events, published as they were:
    // none announced again as new, none lost.
    const after = await invariantsAndOutbox();
    expect(after).toEqual(beforeState);
    expect(after.invariants.every((i) => i.ok)).toBe(true);
  });

  it("refuses to overwrite data newer than the backup without a fresh confirmation", async () => {
    const plan = await post(`/api/backups/${backupId}/restore`, { dryRun: true });
    // A change after the backup: the pending order is cancelled (its events are newer than the backup).
    const changed = await api(`/api/orders/${shop.orders.pending}/cancel`, { method: "PUT", token: shop.buyer.accessToken });
    expect(changed.status).toBe(200);
    await quiesce();
    const after = await apiReads(shop);

    const stale = await post(`/api/backups/${backupId}/restore`, { dryRun: false, confirmationToken: plan.body.confirmationToken });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe("BACKUP_CONFIRMATION_REQUIRED");
    expect((stale.body.plan as { overwritesNewerData: boolean }).overwritesNewerData).toBe(true);
    expect(await apiReads(shop)).toEqual(after);
  });
});
