/**
 * The backup operations around the round trip: authorization and input on
 * every route; a backup interrupted half-way is incomplete and never
 * restored; tampering is detected; a single SKU's object restores alone;
 * encrypted sets; the drill, its history, its alert and the health check.
 */
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupOperations } from "../../db/schema/backups.ts";
import { jobRuns } from "../../db/schema/scheduler.ts";
import { runBackup } from "../../workers/backups/backup.ts";
import type { Manifest } from "../../workers/backups/manifest.ts";
import { validateBackup } from "../../workers/backups/validate.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { quiesce, stocked, stockLevel } from "../checkout/fixtures.ts";
import { testBindings, testEnv, withTestDb } from "../helpers/db.ts";
import { clearFault, injectFault } from "../helpers/events.ts";
import { api } from "../helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../helpers/identity.ts";

afterAll(() => quiesce(), 30_000);

const post = async (path: string, json?: unknown, token?: string | null) => {
  const res = await api(path, { method: "POST", ...(json === undefined ? {} : { json }), ...(token === undefined ? {} : { token }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const takeBackup = async (): Promise<string> => {
  const run = await post("/api/backups");
  expect(run.body.outcome, JSON.stringify(run.body)).toBe("succeeded");
  return run.body.backupId as string;
};
const manifestOf = async (id: string) => ((await (await api(`/api/backups/${id}`)).json()) as { manifest: Manifest }).manifest;

let customer: string;
let backupId: string;
let skus: string[];

beforeAll(async () => {
  customer = (await registerAndLogin()).accessToken;
  ({ skus } = await stocked([700, 800], 12));
  backupId = await takeBackup();
}, 60_000);

describe("authorization and input", () => {
  const id = () => backupId;
  const routes: [string, string, unknown?][] = [
    ["GET", "/api/backups"],
    ["POST", "/api/backups"],
    ["GET", "/api/backups/operations"],
    ["GET", "/api/backups/operations/val_01M8Y4Q9FK30HBSK1GD5GDD20S"],
    ["GET", "/api/backups/{id}"],
    ["POST", "/api/backups/{id}/validate"],
    ["POST", "/api/backups/{id}/restore", { dryRun: true }],
  ];

  it("answers 401 without a token and 403 to a customer on every route, and changes nothing", async () => {
    const before = ((await (await api("/api/backups/operations?limit=100")).json()) as { items: unknown[] }).items.length;
    for (const [method, path, json] of routes) {
      const url = path.replace("{id}", id());
      for (const [token, status] of [
        [null, 401],
        [customer, 403],
      ] as const) {
        const res = await api(url, { method, token, ...(json ? { json } : {}) });
        expect(res.status, `${method} ${url}`).toBe(status);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    }
    expect(((await (await api("/api/backups/operations?limit=100")).json()) as { items: unknown[] }).items.length).toBe(before);
  });

  it("answers 404 for an unknown backup and 422 for malformed ids and bodies", async () => {
    expect((await api("/api/backups/bk_20200101T000000_ZZZZZZZZ")).status).toBe(404);
    expect((await post("/api/backups/bk_20200101T000000_ZZZZZZZZ/validate")).status).toBe(404);
    expect((await post("/api/backups/bk_20200101T000000_ZZZZZZZZ/restore", { dryRun: true })).status).toBe(404);
    expect((await api("/api/backups/operations/nope")).status).toBe(422);
    expect((await api("/api/backups/operations/val_01M8Y4Q9FK30HBSK1GD5GDD20S")).status).toBe(404);
    for (const bad of ["not-a-backup", "bk_2020%00", `bk_${"9".repeat(400)}`]) expect((await api(`/api/backups/${bad}`)).status).toBe(422);
    const restore = (body: unknown) => post(`/api/backups/${backupId}/restore`, body);
    for (const body of [
      {},
      { dryRun: "yes" },
      { dryRun: true, extra: 1 },
      { dryRun: false, confirmationToken: "x\u0000" },
      { dryRun: true, schemas: ["orders; drop table x"] },
      { dryRun: true, objects: { kinds: ["inventory", "cart"], names: ["A"] } },
      { dryRun: true, objects: { kinds: ["nope"] } },
      { dryRun: true, objects: { kinds: ["inventory"], names: ["a\u0000b"] } },
      { dryRun: true, schemas: Array(1e3).fill("orders") },
    ]) {
      const res = await restore(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await api("/api/backups?limit=1000000000000000000000")).status).toBe(422);
  });
});

describe("progress", () => {
  it("is readable while a backup runs: rows and bytes done, rows expected, an ETA", async () => {
    const running = withTestDb((db) => runBackup(testEnv, db));
    type Op = { status: string; rowsDone: number; bytesDone: number; rowsExpected: number | null; etaSeconds: number | null };
    let seen: Op | undefined;
    let done = false;
    void running.finally(() => {
      done = true;
    });
    while (!done && !seen) {
      const page = (await (await api("/api/backups/operations?kind=backup&limit=1")).json()) as { items: Op[] };
      const op = page.items[0];
      if (op?.status === "running" && op.rowsDone > 0) seen = op;
    }
    const m = await running;
    expect(seen, "a running backup with rows done").toBeDefined();
    expect(seen!.bytesDone).toBeGreaterThan(0);
    expect(seen!.rowsDone).toBeLessThan(m.totals.rows);
    expect(seen!.rowsExpected).toBeGreaterThan(0);
    expect(seen!.etaSeconds).not.toBeNull();
  });
});

describe("an interrupted backup", () => {
  afterAll(() => clearFault("backup:objects", "start"));

  it("is marked incomplete, listed as such, and never validated or restored", async () => {
    await injectFault("backup:objects", "start", 1);
    const run = await post("/api/backups");
    expect(run.body.outcome).toBe("failed");
    const op = await withTestDb(
      async (db) =>
        (
          await db
            .select()
            .from(backupOperations)
            .where(eq(backupOperations.kind, "backup"))
            .orderBy(desc(backupOperations.startedAt))
            .limit(1)
        )[0]!,
    );
    expect(op).toMatchObject({ status: "failed", manifestKey: null });
    expect(op.rowsDone).toBeGreaterThan(0); // It got half-way: the tables were written.

    const list = (await (await api("/api/backups?limit=100")).json()) as {
      items: { id: string; complete: boolean; operation: { status: string } }[];
    };
    expect(list.items.find((s) => s.id === op.backupId)).toMatchObject({ complete: false, operation: { status: "failed" } });
    expect(list.items.find((s) => s.id === backupId)).toMatchObject({ complete: true });

    const dry = await post(`/api/backups/${op.backupId}/restore`, { dryRun: true });
    expect(dry.status).toBe(409);
    expect(dry.body.code).toBe("BACKUP_INCOMPLETE");
    const validation = await post(`/api/backups/${op.backupId}/validate`);
    expect(validation.body).toMatchObject({ ok: false });
  });
});

describe("tampering", () => {
  it("is detected in a part's bytes (checksum) and in the manifest (counts and set checksum)", async () => {
    const id = await takeBackup();
    const m = await manifestOf(id);
    const part = m.tables.find((t) => t.schema === "orders" || t.rows > 0)!.parts[0]!;
    const original = new Uint8Array(await (await testBindings.BACKUPS.get(part.key))!.arrayBuffer());
    const tampered = original.slice();
    tampered[tampered.length - 12]! ^= 0xff;
    await testBindings.BACKUPS.put(part.key, tampered);
    const report = await post(`/api/backups/${id}/validate`);
    expect(report.body.ok).toBe(false);
    expect(JSON.stringify(report.body.problems)).toContain(`${part.key}: SHA-256`);
    await testBindings.BACKUPS.put(part.key, original);
    expect((await post(`/api/backups/${id}/validate`)).body.ok).toBe(true);

    const forged = { ...m, tables: m.tables.map((t, i) => (i === 0 ? { ...t, rows: t.rows + 1 } : t)) };
    await testBindings.BACKUPS.put(`sets/${id}/manifest.json`, JSON.stringify(forged));
    const refused = await post(`/api/backups/${id}/restore`, { dryRun: true });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("BACKUP_CORRUPT");
    await testBindings.BACKUPS.put(`sets/${id}/manifest.json`, JSON.stringify(m));
  });
});

describe("restoring one SKU's object", () => {
  it("brings back that SKU's stock and ledger alone, leaving the database and other SKUs as they are", async () => {
    const [a, b] = skus as [string, string];
    const id = await takeBackup();
    const restock = (sku: string) => api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 5 } });
    expect((await restock(a)).status).toBe(200);
    expect((await restock(b)).status).toBe(200);
    expect(await stockLevel(a)).toMatchObject({ onHand: 17 });

    const scope = { schemas: [], objects: { kinds: ["inventory"], names: [a] } };
    const plan = await post(`/api/backups/${id}/restore`, { dryRun: true, ...scope });
    expect(plan.body).toMatchObject({ tables: [], objects: [{ kind: "inventory" }] });
    const done = await post(`/api/backups/${id}/restore`, { dryRun: false, confirmationToken: plan.body.confirmationToken, ...scope });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ tables: 0, objects: { inventory: { restored: 1, emptied: 0 } } });
    expect(await stockLevel(a)).toMatchObject({ onHand: 12, reserved: 0 });
    expect(await stockLevel(b)).toMatchObject({ onHand: 17 });
  });
});

describe("a restore by a member of staff", () => {
  it("accepts the token of the dry run the same admin sent, though each of their writes is audited", async () => {
    const { accessToken: admin, userId: adminId } = await registerAndLogin("admin");
    const id = await takeBackup();
    const scope = { schemas: ["promotions"], objects: null };
    const plan = await post(`/api/backups/${id}/restore`, { dryRun: true, ...scope }, admin);
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect((await outboxEvents(id, "StaffActionTaken")).map((e) => e.actor?.id)).toContain(adminId);
    const done = await post(
      `/api/backups/${id}/restore`,
      { dryRun: false, confirmationToken: plan.body.confirmationToken, ...scope },
      admin,
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ tables: 2 });
  });
});

describe("encryption", () => {
  it("seals every part so the bucket shows nothing; only a runtime with the key validates the set", async () => {
    const keyed: Runtime = Object.create(testEnv, {
      vars: { value: { ...testEnv.vars, BACKUP_ENCRYPTION_KEY: "backup-key-for-tests-0123456789abcdef" } },
    });
    const m = await withTestDb((db) => runBackup(keyed, db));
    expect(m.encrypted).toBe(true);
    for (const part of [...m.tables.flatMap((t) => t.parts), ...m.objects.flatMap((o) => o.parts)].slice(0, 20)) {
      const bytes = new Uint8Array(await (await testBindings.BACKUPS.get(part.key))!.arrayBuffer());
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("ECB1");
      expect(part.key.endsWith(".aes")).toBe(true);
    }
    expect((await withTestDb((db) => validateBackup(keyed, db, m.id, "validate"))).ok).toBe(true);
    const withoutKey = await withTestDb((db) => validateBackup(testEnv, db, m.id, "validate"));
    expect(withoutKey.ok).toBe(false);
    expect(withoutKey.problems.join()).toMatch(/encrypted/);
  });
});

describe("the restore drill", () => {
  const runDrill = () => post("/api/scheduler/jobs/backup-drill/run");
  const health = async () => (await (await api("/api/health")).json()) as { status: string; checks: { backups: { status: string } } };

  it("restores the newest complete backup on schedule, records it, and a failed drill alerts and degrades the health check", async () => {
    // The newest complete set is a plain one.
    const id = await takeBackup();
    const ok = await runDrill();
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({
      job: "backup-drill",
      outcome: "succeeded",
      result: { backupId: id, scratchRestore: "done" },
    });
    expect((await health()).checks.backups.status).toBe("ok");

    // The newest set loses a part: the drill fails, is announced, and the service reports degraded.
    const m = await manifestOf(id);
    const part = m.objects.find((o) => o.parts.length > 0)!.parts[0]!;
    const original = await (await testBindings.BACKUPS.get(part.key))!.arrayBuffer();
    await testBindings.BACKUPS.delete(part.key);
    const failed = await runDrill();
    expect(failed.body).toMatchObject({ outcome: "failed" });
    expect(String(failed.body.error)).toContain(id);
    const announced = await withTestDb(async (db) => {
      const r = await db.execute<{ outcome: string }>(
        sql`select envelope->'payload'->>'outcome' as outcome from events.outbox
            where type = 'JobRunCompleted' and envelope->>'subjectId' = ${failed.body.id as string}`,
      );
      return r.rows.map((x) => x.outcome);
    });
    expect(announced).toEqual(["failed"]);
    const h = await health();
    expect(h.status).toBe("degraded");
    expect(h.checks.backups.status).toBe("degraded");

    const history = (await (await api("/api/backups/operations?kind=drill&limit=2")).json()) as {
      items: { kind: string; status: string; backupId: string; result: { durationMs: number } }[];
    };
    expect(history.items.map((d) => [d.kind, d.status, d.backupId])).toEqual([
      ["drill", "failed", id],
      ["drill", "complete", id],
    ]);
    expect(history.items[1]!.result.durationMs).toBeGreaterThan(0);

    // Repaired, the next drill passes and the service is healthy again.
    await testBindings.BACKUPS.put(part.key, original);
    expect((await runDrill()).body).toMatchObject({ outcome: "succeeded" });
    expect((await health()).checks.backups.status).toBe("ok");
    const runs = await withTestDb((db) =>
      db.select().from(jobRuns).where(eq(jobRuns.job, "backup-drill")).orderBy(desc(jobRuns.id)).limit(3),
    );
    expect(runs.map((r) => r.outcome)).toEqual(["succeeded", "failed", "succeeded"]);
  });
});
