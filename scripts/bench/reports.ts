/// <reference types="@cloudflare/workers-types" />
/**
 * `node --expose-gc --import tsx scripts/bench/reports.ts [--lines 1000000] [--formats csv,xlsx,pdf] [--storage parts,collect]`
 *
 * Time, peak memory and file size of each report format for one month of a
 * store with `--lines` confirmed order lines (four per order), generated in
 * Postgres with generate_series (the analytics facts, as the pipeline loads
 * them), on the embedded Postgres of the local stack:
 *
 * `order-lines`, every line of the month, one row each: the report whose
 * size grows with the shop (read in keyset pages, written page by page). The
 * aggregate reports are the analytics queries (measured by
 * scripts/bench/analytics.ts) plus files of a few hundred rows.
 *
 * Each measurement builds the report with the family's own definition and
 * writer, in this Node process: time is wall clock from the first query to
 * the last byte; memory is the peak, sampled at every chunk written and
 * every 5 ms, of V8 heap plus array buffers above the level before the run
 * (after a GC when --expose-gc is given), and of the process's RSS.
 *
 * Storage, `--storage`: `parts` is what the Worker does (formats/file-upload.ts:
 * 5 MiB parts uploaded as the file is written, SHA-256 computed on the way,
 * `drain()` between pages), into a stand-in for R2 that keeps only the size
 * of each part (the bucket's storage is not the Worker's memory); `collect`
 * is the earlier way, the whole file gathered in memory before one put, kept
 * to compare.
 */
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Queryable } from "../../workers/platform/db.ts";
import type { ReportDefinition } from "../../workers/reports/definitions/definition.ts";
import { orderLines } from "../../workers/reports/definitions/order-lines.ts";
import { periodFor } from "../../workers/reports/definitions/params.ts";
import { fileUpload } from "../../workers/reports/formats/file-upload.ts";
import { FORMAT_FILES } from "../../workers/reports/formats/files.ts";
import { collector, type Report } from "../../workers/reports/formats/report-model.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";

const { values: args } = parseArgs({
  options: {
    lines: { type: "string", default: "1000000" },
    formats: { type: "string", default: "csv,xlsx,pdf" },
    storage: { type: "string", default: "parts,collect" },
  },
});
type Storage = "parts" | "collect";
const STORAGE = args.storage.split(",") as Storage[];
const LINES = Number(args.lines);
const FORMATS = args.formats.split(",") as (keyof typeof FORMAT_FILES)[];
const MONTH = { from: "2026-11-01", to: "2026-12-01" };
const MB = 1024 * 1024;

async function generateMonth(db: pg.Client, lines: number): Promise<void> {
  const orders = Math.ceil(lines / 4);
  const at = `'2026-11-01T00:00:00Z'::timestamptz + (g::double precision / $1) * interval '30 days'`;
  await db.query(`insert into analytics.product_dim (product_id, slug, name, status, category_id, category_name, category_path, brand_id, brand_name, version)
    select 'prd_RBENCH' || lpad(g::text, 16, '0'), 'rbench-' || g, 'Bench product ' || g, 'active', 'cat_R' || (g % 40), 'Category ' || (g % 40), 'c' || (g % 40), 'brd_R' || (g % 60), 'Brand ' || (g % 60), 1
    from generate_series(0, 999) g on conflict do nothing`);
  await db.query(
    `insert into analytics.order_line_facts (order_id, line_no, event_id, product_id, sku, quantity, unit_price_minor, line_total_minor, currency, created_at, confirmed_at)
    select 'ord_RBENCH' || lpad(g::text, 16, '0'), l, 'evt_RBENCH' || lpad(g::text, 16, '0'), 'prd_RBENCH' || lpad(((g * 31 + l * 97) % 1000)::text, 16, '0'),
      'SKU-R' || ((g * 31 + l * 97) % 1000), 1 + (g + l) % 3, 500 + ((g * 31 + l * 97) % 1000) * 5, (1 + (g + l) % 3) * (500 + ((g * 31 + l * 97) % 1000) * 5),
      'USD', ${at}, ${at} + interval '5 minutes'
    from generate_series(0, $1 - 1) g cross join generate_series(1, 4) l`,
    [orders],
  );
  await db.query(`insert into analytics.order_facts (order_id, order_number, customer_key, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, shipping_country, line_count, units, created_at, confirmed_at)
    select order_id, 'EC-R-' || right(order_id, 8), 'psn_rbench' || (right(order_id, 12)::bigint % 50000), 'USD', sum(line_total_minor), 0, 499, sum(line_total_minor) / 10,
      sum(line_total_minor) + 499 + sum(line_total_minor) / 10, (array['DE','FR','US','GB','NL','ES','IT','PL'])[1 + right(order_id, 12)::bigint % 8], 4, sum(quantity), min(created_at), min(confirmed_at)
    from analytics.order_line_facts where order_id like 'ord_RBENCH%' group by order_id`);
  await db.query(`insert into analytics.payment_facts (event_id, kind, payment_id, refund_id, order_id, amount_minor, currency, reason, occurred_at)
    select 'evt_RREF' || order_id, 'refunded', 'pay_' || order_id, 'ref_' || order_id, order_id, total_minor / 2, 'USD', 'customer_request', confirmed_at + interval '1 day'
    from analytics.order_facts where order_id like 'ord_RBENCH%' and right(order_id, 2)::int % 25 = 0 and confirmed_at < '2026-11-30'`);
  await db.query("vacuum analyze analytics.order_line_facts, analytics.order_facts, analytics.payment_facts, analytics.product_dim");
}

/** A stand-in for R2 that keeps nothing but the size of what it was given. */
function countingBucket() {
  let stored = 0;
  const bucket = {
    async put(_key: string, value: Uint8Array) {
      stored += value.byteLength;
      return null as unknown as R2Object;
    },
    async createMultipartUpload(key: string) {
      return {
        key,
        uploadId: "bench",
        async uploadPart(partNumber: number, value: Uint8Array) {
          stored += value.byteLength;
          return { partNumber, etag: String(partNumber) };
        },
        async abort() {},
        async complete() {
          return null as unknown as R2Object;
        },
      } as unknown as R2MultipartUpload;
    },
  };
  return { bucket, stored: () => stored };
}

interface Measure {
  ms: number;
  peakMb: number;
  peakRssMb: number;
  bytes: number;
  rows: number;
}

async function measure(db: Queryable, definition: ReportDefinition, format: keyof typeof FORMAT_FILES, storage: Storage): Promise<Measure> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, used());
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  const def = definition;
  const params = def.params.parse({ currency: "USD", ...MONTH }) as Record<string, unknown>;
  const period = periodFor(params as { from: string; to: string }, def.span, new Date(), "day");
  if (!period.ok) throw new Error(period.message);
  const built = await def.build(params, period.period, { db, now: new Date() });
  let rows = 0;
  const out = collector();
  const r2 = countingBucket();
  const upload = fileUpload(r2.bucket, "bench", { contentType: FORMAT_FILES[format].contentType, customMetadata: {} });
  const report: Report = {
    shopName: "Edge Commerce",
    title: def.title,
    period: period.period,
    currency: built.currency,
    generatedAt: new Date(),
    sections: built.sections.map((s) => ({
      ...s,
      async *pages() {
        for await (const page of s.pages()) {
          rows += page.length;
          sample();
          if (storage === "parts") await upload.drain();
          yield page;
        }
      },
    })),
  };
  const sink = storage === "parts" ? upload.sink : out.sink;
  await FORMAT_FILES[format].write(report, (chunk) => {
    sink(chunk);
    sample();
  });
  let bytes: number;
  if (storage === "parts") {
    const stored = await upload.finish({});
    if (stored.bytes !== r2.stored()) throw new Error(`stored ${r2.stored()} of ${stored.bytes} bytes`);
    bytes = stored.bytes;
  } else {
    const file = out.bytes();
    await r2.bucket.put("bench", file);
    bytes = file.byteLength;
  }
  sample();
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { ms, peakMb: (peak - base) / MB, peakRssMb: peakRss / MB, bytes, rows };
}

async function main(): Promise<void> {
  console.log(`reports bench: one month (${MONTH.from} to ${MONTH.to}) with ${LINES} confirmed order lines; formats ${FORMATS.join(", ")}`);
  const stack = await startStack({ mode: "test" });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  // Idle connections closed by the server at shutdown are not the benchmark's concern.
  pool.on("error", () => undefined);
  try {
    await migrateDatabase(stack.databaseUrl);
    await client.connect();
    const t0 = Date.now();
    await generateMonth(client, LINES);
    console.log(`  data generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const db = drizzle(pool) as unknown as Queryable;
    for (const definition of [orderLines])
      for (const format of FORMATS)
        for (const storage of STORAGE) {
          const m = await measure(db, definition, format, storage);
          console.log(
            `  ${definition.id.padEnd(12)} ${format.padEnd(5)} ${storage.padEnd(7)} ${String(m.rows).padStart(8)} rows  ${(m.ms / 1000).toFixed(2).padStart(7)} s  peak +${m.peakMb.toFixed(1).padStart(6)} MB heap+buffers (RSS ${m.peakRssMb.toFixed(0)} MB)  file ${(m.bytes / MB).toFixed(2).padStart(7)} MB`,
          );
        }
  } finally {
    await client.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await stack.stop();
  }
}

await main();
