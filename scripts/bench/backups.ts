/**
 * `npx tsx scripts/bench/backups.ts [--scale 100] [--skip-large] [--skip-demo]`: the cost
 * of a full backup, a validation (restore into the scratch database with
 * every check) and a real restore, for the demo store and for a generated
 * store `--scale` times larger (products, variants and their Inventory
 * objects, customers, and delivered orders with lines and payments):
 * seconds, stored bytes, records per second, and the resident memory of
 * the workerd process while the backup runs (sampled every 20 ms from
 * /proc). A hello-world Worker answers requests in the same run; its rate
 * is the baseline of the records-per-second figures.
 *
 * Each store runs in a fresh Postgres and a fresh Worker (built as
 * `wrangler deploy` would, served by Miniflare with its real bindings, R2
 * and Durable Objects in the temporary folder: run with TMPDIR=/dev/shm to
 * keep them in memory, as every object's SQLite commit otherwise waits on
 * the disk). Note that locally one workerd process also
 * hosts every Durable Object the backup visits, so its memory includes the
 * objects', which production keeps apart from the Worker's.
 *
 * Open files: locally every object holds its SQLite files (about three)
 * until workerd evicts it, some seconds after its last call or alarm, and
 * the process may hold at most `ulimit -n` files. The bootstrap opens every
 * SKU's object at once-ish and each one's alarm then announces its level,
 * so right after it nearly every object is still open; a backup started
 * then visits them all again and workerd fails to open more
 * (SQLITE_CANTOPEN). So the script waits, after the bootstrap, until the
 * objects are evicted (the file count falls), and reports the most files
 * open during each phase.
 */
import { parseArgs } from "node:util";
import { Agent, fetch } from "undici";
import { migrateDatabase } from "../local/migrate.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { createDatabase, generateOrders, skuNames } from "./backups-data.ts";
import { sampled, untilObjectsEvicted } from "./backups-process.ts";
import { closedLoop } from "./load.ts";
import { newPids, pidsOf, round, WORKERD } from "./measure.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "100" },
    "skip-large": { type: "boolean", default: false },
    "skip-demo": { type: "boolean", default: false },
  },
});
const SCALE = Number(args.scale);
const TOKEN = "bench-ops-token-0123456789abcdef";
const AUTH = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const ORDERS_PER_SCALE = 50;
/** BACKUP_OBJECT_PAUSE_MS of the measured Worker (see below). */
const PAUSE_MS = Number(process.env.BACKUP_BENCH_PAUSE_MS ?? 100);
/** A bootstrap or a backup of a large store is one long request: no client-side timeout. */
const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

async function post<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: AUTH,
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: patient,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

interface Figures {
  store: string;
  records: number;
  tableRows: number;
  objects: Record<string, number>;
  storedMiB: number;
  parts: number;
  backup: {
    seconds: number;
    recordsPerSecond: number;
    perHelloRequest: number;
    rssBaseMiB: number;
    rssPeakMiB: number;
    rssGrowthMiB: number;
    peakOpenFiles: number;
  };
  incremental: { seconds: number; storedMiB: number; records: number; sinceTables: number; sinceRows: number };
  bootstrap: { seconds: number; peakOpenFiles: number; evictedAfterSeconds: number };
  validate: { seconds: number; ok: boolean; recordsPerSecond: number };
  restore: { seconds: number; recordsPerSecond: number };
}

/** One restore of a scope (a dry run, then the restore with its token), in seconds. */
async function restoreScope(url: string, id: string, scope: Record<string, unknown>): Promise<number> {
  // Consumers still at work change the database between the dry run and the restore: then its token no longer
  // holds, and the dry run is taken again (as an operator would).
  for (let attempt = 1; ; attempt++) {
    const plan = await post<{ confirmationToken: string }>(`${url}/api/backups/${id}/restore`, { dryRun: true, ...scope });
    const t0 = performance.now();
    try {
      await post(`${url}/api/backups/${id}/restore`, { dryRun: false, confirmationToken: plan.confirmationToken, ...scope });
      return (performance.now() - t0) / 1000;
    } catch (err) {
      if (attempt === 20 || !String(err).includes("BACKUP_CONFIRMATION_REQUIRED")) throw err;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

async function measureStore(label: string, scale: number, helloRps: number): Promise<Figures> {
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const scratch = await createDatabase(stack.databaseUrl, "bench_scratch");
    await migrateDatabase(scratch);
    const t0 = performance.now();
    await seed(stack.databaseUrl, () => undefined, {
      demo: { activeProducts: 300 * scale, draftProducts: 8 * scale, archivedProducts: 5 * scale, customers: 5 * scale },
    });
    await generateOrders(stack.databaseUrl, ORDERS_PER_SCALE * scale);
    console.log(`${label}: seeded in ${round((performance.now() - t0) / 1000, 1)} s`);

    const before = pidsOf(WORKERD);
    const app = await startMiniflareApp(build(), {
      ...stack.workerVars,
      APP_ENV: "production",
      OPS_TOKEN: TOKEN,
      LOG_LEVEL: "warn",
      // One local workerd runs every object, alarm and consumer on one thread: in the bootstrap's burst a connection or
      // an answer can wait past the production defaults (3 s and 8 s), and the request then fails as DATABASE_UNAVAILABLE.
      DATABASE_CONNECT_TIMEOUT_MS: "30000",
      DATABASE_STATEMENT_TIMEOUT_MS: "60000",
      // Locally an object keeps its files open for some seconds after its last call, and one process holds them all:
      // a backup visiting objects faster than they are evicted runs out of files (SQLITE_CANTOPEN). At most 25
      // objects every 100 ms (250 a second) keeps the count well under `ulimit -n`.
      BACKUP_OBJECT_PAUSE_MS: String(PAUSE_MS),
      PII_HASH_KEY: "bench-pii-hash-key-0123456789abcdef-0123",
      BACKUP_SCRATCH_DATABASE_URL: scratch,
      AUDIT_CHECKPOINT_KEY: "bench-audit-checkpoint-key-0123456789abcdef",
    });
    try {
      const workerd = newPids(before, WORKERD);
      // The bootstrap is idempotent (it opens only the objects no one confirmed yet): a 503 is taken again.
      const boot = await sampled(workerd, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await post<{ result: { opened: number } }>(`${app.url}/api/inventory/bootstrap`);
          } catch (err) {
            if (attempt === 10 || !String(err).includes("DATABASE_UNAVAILABLE")) throw err;
            console.log(`${label}: bootstrap attempt ${attempt}: the database was unavailable to the Worker; again in 5 s`);
            await new Promise((r) => setTimeout(r, 5000));
          }
        }
      });
      console.log(
        `${label}: ${boot.value.result.opened} Inventory objects opened in ${round(boot.seconds, 1)} s, at most ${boot.peakFiles} files open`,
      );
      const evicted = await untilObjectsEvicted(workerd, 1500, 300);
      console.log(`${label}: ${evicted.files} files open ${round(evicted.seconds, 1)} s after the bootstrap`);
      if (evicted.files >= 1500) throw new Error(`${label}: the bootstrap's objects were not evicted`);

      const backup = await sampled(workerd, () => post<{ backupId: string; outcome: string; result: unknown }>(`${app.url}/api/backups`));
      if (backup.value.outcome !== "succeeded") throw new Error(`backup ${backup.value.outcome}: ${JSON.stringify(backup.value.result)}`);
      const id = backup.value.backupId;
      console.log(`${label}: backup in ${round(backup.seconds, 1)} s, at most ${backup.peakFiles} files open`);
      const manifest = (
        (await (await fetch(`${app.url}/api/backups/${id}`, { headers: AUTH, dispatcher: patient })).json()) as {
          manifest: {
            totals: { rows: number; bytes: number; parts: number };
            tables: { rows: number }[];
            objects: { kind: string; objects: number }[];
          };
        }
      ).manifest;
      const records = manifest.totals.rows;

      // An increment on that full, nothing having changed: the append-only tables add no rows, the rest go whole.
      // The full just visited every object: wait until they are evicted again (see the note at the top).
      await untilObjectsEvicted(workerd, 1500, 300);
      const t5 = performance.now();
      const inc = await post<{ outcome: string; result: { backupId: string; kind: string } }>(
        `${app.url}/api/scheduler/jobs/backup-incremental/run`,
      );
      const incSeconds = (performance.now() - t5) / 1000;
      if (inc.outcome !== "succeeded" || inc.result.kind !== "incremental") throw new Error(`increment: ${JSON.stringify(inc)}`);
      const incManifest = (
        (await (await fetch(`${app.url}/api/backups/${inc.result.backupId}`, { headers: AUTH, dispatcher: patient })).json()) as {
          manifest: { totals: { rows: number; bytes: number }; tables: { rows: number; mode?: string }[] };
        }
      ).manifest;
      const since = incManifest.tables.filter((t) => t.mode === "since");
      console.log(`${label}: increment in ${round(incSeconds, 1)} s, ${incManifest.totals.bytes} bytes`);

      const t2 = performance.now();
      const validation = await post<{ ok: boolean; problems: string[]; invariants: { name: string; ok: boolean; offenders: string[] }[] }>(
        `${app.url}/api/backups/${id}/validate`,
      );
      const validateSeconds = (performance.now() - t2) / 1000;
      console.log(`${label}: validation in ${round(validateSeconds, 1)} s, ok: ${validation.ok}`);
      if (!validation.ok)
        console.log(
          `${label}: validation problems ${JSON.stringify({ p: validation.problems, i: validation.invariants.filter((i) => !i.ok) })}`,
        );

      // The restore: Postgres first, then the objects. Locally the one workerd process would hold every restored
      // object's files at once (each import sets its alarm, which keeps the object open a while), so the Inventory
      // objects are restored in slices of 1,000 SKUs, the objects of a slice evicted before the next; the time
      // counted is the restores', not the waits'.
      let restoreSeconds = 0;
      await untilObjectsEvicted(workerd, 1500, 300);
      restoreSeconds += await restoreScope(app.url, id, { objects: null });
      const skus = await skuNames(stack.databaseUrl);
      for (let i = 0; i < skus.length; i += 1000) {
        await untilObjectsEvicted(workerd, 1500, 300);
        restoreSeconds += await restoreScope(app.url, id, {
          schemas: [],
          objects: { kinds: ["inventory"], names: skus.slice(i, i + 1000) },
        });
      }
      await untilObjectsEvicted(workerd, 1500, 300);
      restoreSeconds += await restoreScope(app.url, id, { schemas: [], objects: { kinds: ["reservation", "cart"] } });
      console.log(`${label}: restore in ${round(restoreSeconds, 1)} s`);

      const recordsPerSecond = records / backup.seconds;
      return {
        store: label,
        records,
        tableRows: manifest.tables.reduce((n, t) => n + t.rows, 0),
        objects: Object.fromEntries(manifest.objects.map((o) => [o.kind, o.objects])),
        storedMiB: round(manifest.totals.bytes / 1024 / 1024, 2),
        parts: manifest.totals.parts,
        backup: {
          seconds: round(backup.seconds),
          recordsPerSecond: Math.round(recordsPerSecond),
          perHelloRequest: round(recordsPerSecond / helloRps, 3),
          rssBaseMiB: round(backup.baseMiB, 1),
          rssPeakMiB: round(backup.peakMiB, 1),
          rssGrowthMiB: round(backup.peakMiB - backup.baseMiB, 1),
          peakOpenFiles: backup.peakFiles,
        },
        incremental: {
          seconds: round(incSeconds),
          storedMiB: round(incManifest.totals.bytes / 1024 / 1024, 2),
          records: incManifest.totals.rows,
          sinceTables: since.length,
          sinceRows: since.reduce((n, t) => n + t.rows, 0),
        },
        bootstrap: { seconds: round(boot.seconds), peakOpenFiles: boot.peakFiles, evictedAfterSeconds: round(evicted.seconds) },
        validate: { seconds: round(validateSeconds), ok: validation.ok, recordsPerSecond: Math.round(records / validateSeconds) },
        restore: { seconds: round(restoreSeconds), recordsPerSecond: Math.round(records / restoreSeconds) },
      };
    } finally {
      await app.stop();
    }
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const hello = await startMiniflareHello();
  let helloRps: number;
  try {
    await closedLoop(`${hello.url}/`, 4, 1);
    helloRps = (await closedLoop(`${hello.url}/`, 8, 3)).rps;
  } finally {
    await hello.stop();
  }
  console.log(`hello-world Worker: ${helloRps} requests/s (8 connections, 3 s)`);
  const results: Figures[] = [];
  if (!args["skip-demo"]) {
    results.push(await measureStore("demo", 1, helloRps));
    console.log(JSON.stringify(results.at(-1)));
  }
  if (!args["skip-large"]) {
    results.push(await measureStore(`${SCALE}x`, SCALE, helloRps));
    console.log(JSON.stringify(results.at(-1)));
  }
  console.log(`\n${JSON.stringify({ helloRps, ordersPerScale: ORDERS_PER_SCALE, results })}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
