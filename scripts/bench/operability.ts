/**
 * `npx tsx scripts/bench/operability.ts`: the per-request cost of the
 * gateway's operability (rate limits and RED metrics) on one route, against
 * the same route with them off and a hello-world Worker, in one run.
 *
 * Variants of the same built Worker: `off` (RATE_LIMITS=off,
 * REQUEST_METRICS=off), `metrics` (metrics only), `coarse` (both on; the browse class is counted by
 * the rate-limiting binding), `exact` (both on; the browse budget overridden,
 * so each request is counted by its caller's RateLimiter object). The route
 * is the edge-cached product listing (no database work), so the overhead is
 * not hidden behind Postgres. Clients come from 256 addresses, each
 * returning (as shoppers do), so no caller reaches its budget. Locally the
 * rate-limiting binding is Miniflare's simulation (a local object per
 * call), not Cloudflare's in-location counter: the coarse figure is an
 * upper bound.
 *
 * Tracing: `traced 10%` and `traced 100%` are `metrics` with tracing on
 * (OTEL_EXPORTER_OTLP_ENDPOINT pointed at a collector stand-in in this
 * process that accepts OTLP/HTTP JSON and counts the spans), sampling 10 %
 * and every request: a span built per sampled request and posted after the
 * answer.
 *
 * Options: --seconds N (per measurement, default 6), --connections N (default 32).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { OPS_TOKEN } from "./fixtures.ts";
import { cpuMs, newPids, pidsOf, round, WORKERD } from "./measure.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";
import { type ClosedRun, closedRun, httpStep, type OpenRun, openRun, type Step } from "./step-load.ts";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "6" }, connections: { type: "string", default: "32" } },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);

interface Row {
  name: string;
  closed: ClosedRun;
  open: OpenRun;
  /** CPU milliseconds of the serving workerd per request in the closed loop: steadier than throughput on a busy machine. */
  cpuMsPerRequest: number;
}

async function measure(name: string, step: Step, workerd: number[]): Promise<Row> {
  await closedRun(step, 4, 1, 1_000_000); // warm-up
  const cpu0 = cpuMs(workerd);
  const closed = await closedRun(step, CONNECTIONS, SECONDS, 2_000_000);
  const cpuMsPerRequest = round((cpuMs(workerd) - cpu0) / Math.max(1, closed.steps), 3);
  const open = await openRun(step, Math.max(1, Math.round(closed.stepsPerSecond * 0.7)), SECONDS, 3_000_000);
  console.log(
    `  ${name.padEnd(11)} ${String(closed.stepsPerSecond).padStart(7)}/s (err ${closed.errors})  workerd cpu ${cpuMsPerRequest} ms/request` +
      `  open p50 ${open.p50} p90 ${open.p90} p99 ${open.p99} ms (err ${open.errors})`,
  );
  return { name, closed, open, cpuMsPerRequest };
}

/** An OTLP/HTTP collector stand-in: answers every export with 200 and counts the exports and spans it got. */
async function startCollector() {
  const received = { exports: 0, spans: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
        };
        received.exports++;
        for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) received.spans += ss.spans.length;
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A client address per step from a pool of 256 callers who come back (each a warm object), none reaching a budget. */
const address = (i: number) => `10.0.1.${i % 256}`;

async function main(): Promise<void> {
  console.log(`operability bench: ${SECONDS}s per measurement; ${CONNECTIONS} clients, then an open model at 70 %`);
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    await seed(stack.databaseUrl, () => undefined, { demo: { activeProducts: 50, draftProducts: 0, archivedProducts: 0, customers: 0 } });
    const script = build();
    const rows: Row[] = [];
    let before = pidsOf(WORKERD);
    const hello = await startMiniflareHello();
    rows.push(
      await measure(
        "hello",
        httpStep(() => ({ url: `${hello.url}/` })),
        newPids(before, WORKERD),
      ),
    );
    await hello.stop();
    const collector = await startCollector();
    const variants: [string, Record<string, string>][] = [
      ["off", { RATE_LIMITS: "off", REQUEST_METRICS: "off" }],
      ["metrics", { RATE_LIMITS: "off", REQUEST_METRICS: "on" }],
      ["coarse", { RATE_LIMITS: "on", REQUEST_METRICS: "on" }],
      ["exact", { RATE_LIMITS: "on", REQUEST_METRICS: "on", RATE_LIMIT_BUDGETS: JSON.stringify({ browse: { limit: 1_000_000 } }) }],
      ["traced 10%", { RATE_LIMITS: "off", REQUEST_METRICS: "on", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, TRACE_SAMPLE_RATE: "0.1" }],
      ["traced 100%", { RATE_LIMITS: "off", REQUEST_METRICS: "on", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, TRACE_SAMPLE_RATE: "1" }],
      // The three together, as production runs them: coarse limits, metrics, and traces at the default sampling.
      ["all three", { RATE_LIMITS: "on", REQUEST_METRICS: "on", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, TRACE_SAMPLE_RATE: "0.1" }],
    ];
    for (const [name, vars] of variants) {
      const spansBefore = collector.received.spans;
      before = pidsOf(WORKERD);
      const app = await startMiniflareApp(script, {
        ...stack.workerVars,
        APP_ENV: "production",
        LOG_LEVEL: "error",
        OPS_TOKEN,
        JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
        MFA_ENCRYPTION_KEY: encryptionKeyVar(),
        ...vars,
      });
      try {
        const step = httpStep((i) => ({ url: `${app.url}/api/products?limit=20`, headers: { "cf-connecting-ip": address(i) } }));
        rows.push(await measure(name, step, newPids(before, WORKERD)));
      } finally {
        await app.stop();
      }
      if (vars.OTEL_EXPORTER_OTLP_ENDPOINT) console.log(`           collector received ${collector.received.spans - spansBefore} spans`);
    }
    await collector.stop();
    const [base, off] = [rows[0]!, rows[1]!];
    console.log("\nper request (closed loop), and ratios to hello-world in this run:");
    for (const row of rows.slice(1)) {
      const usPerRequest = (1e6 / row.closed.stepsPerSecond).toFixed(0);
      const overheadUs = (1e6 / row.closed.stepsPerSecond - 1e6 / off.closed.stepsPerSecond).toFixed(0);
      const cpuOverhead = round(row.cpuMsPerRequest - off.cpuMsPerRequest, 3);
      console.log(
        `  ${row.name.padEnd(11)} x${(row.closed.stepsPerSecond / base.closed.stepsPerSecond).toFixed(3)} of hello  ${usPerRequest} µs/request` +
          ` (${overheadUs} µs vs off)  cpu ${row.cpuMsPerRequest} ms (${cpuOverhead} vs off; hello ${base.cpuMsPerRequest})` +
          `  p50 ${row.open.p50} ms (off ${off.open.p50})  p99 ${row.open.p99} ms (off ${off.open.p99})`,
      );
    }
    console.log(`\n${JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, rows })}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
