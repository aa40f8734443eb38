/**
 * `npx tsx scripts/bench/kv-hot-key.ts [--seconds N] [--callers N]`: one hot
 * key under the Deno adapter's optimistic object calls. Several hosts of
 * the same object (in one Deno process on one KV handle, or in several
 * processes on one local KV file) increment it in a closed loop; prints successful calls per second, lost races per success,
 * and whether the final value equals the calls that succeeded (0 lost
 * updates). A Durable Object never races: it queues the calls instead.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    callers: { type: "string", default: "8" },
    stock: { type: "string", default: "1000" },
  },
});
const DENO = path.join(process.cwd(), "node_modules", ".bin", "deno");
const SCRIPT = "scripts/bench/kv-hot-key-process.ts";

type Level = { onHand: number; reserved: number; available: number };
type Run = { calls?: number; held?: number; conflicts?: number; failures?: number; value?: number; level?: Level; firstFailure?: string };

function runDeno(argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      DENO,
      ["run", "--no-check", "--unstable-kv", "--allow-read", "--allow-write", "--allow-env", "--allow-net", SCRIPT, ...argv],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code: number | null) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}")) : reject(new Error(`exit ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  console.log(`kv hot key: ${args.seconds}s per run, ${args.callers} callers per process, one local KV file`);
  const layouts: [number, number][] = [
    [1, 1],
    [1, 2],
    [1, 4],
    [2, 1],
    [4, 1],
  ];
  for (const [processes, hosts] of layouts) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kv-hot-")), "kv.sqlite3");
    const runs = await Promise.all(Array.from({ length: processes }, () => runDeno([file, args.seconds, args.callers, String(hosts)])));
    const calls = runs.reduce((n, r) => n + (r.calls ?? 0), 0);
    const conflicts = runs.reduce((n, r) => n + (r.conflicts ?? 0), 0);
    const failures = runs.reduce((n, r) => n + (r.failures ?? 0), 0);
    const { value } = await runDeno([file, "0", "0", "1", "--read"]);
    console.log(
      `  ${processes} process(es) x ${hosts} host(s): ${(calls / Number(args.seconds)).toFixed(1)} calls/s, ${(conflicts / Math.max(1, calls)).toFixed(3)} lost races per success, ` +
        `${failures} calls failed${failures ? ` (first: ${runs.find((r) => r.firstFailure)?.firstFailure})` : ""}, final value ${value} for ${calls} successful calls (${value === calls ? "0 lost updates" : "LOST UPDATES"})`,
    );
  }
  await stockRace();
}

/**
 * The reservation race on one SKU: the real Inventory object hosted on KV,
 * every caller holding one unit at a time until the stock runs out. Held
 * units must equal the stock exactly (no oversell, none lost).
 */
async function stockRace(): Promise<void> {
  const units = Number(args.stock);
  console.log(`stock race: one SKU's Inventory object on KV, ${units} units, ${args.callers} callers per process`);
  for (const [processes, hosts] of [
    [1, 1],
    [2, 1],
    [4, 1],
  ] as const) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kv-stock-")), "kv.sqlite3");
    await runDeno([file, "0", "0", "1", "--stock", "--restock", String(units)]);
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: processes }, () => runDeno([file, args.seconds, args.callers, String(hosts), "--stock"])),
    );
    const elapsed = (performance.now() - started) / 1000;
    const calls = runs.reduce((n, r) => n + (r.calls ?? 0), 0);
    const held = runs.reduce((n, r) => n + (r.held ?? 0), 0);
    const conflicts = runs.reduce((n, r) => n + (r.conflicts ?? 0), 0);
    const failures = runs.reduce((n, r) => n + (r.failures ?? 0), 0);
    const { level } = await runDeno([file, "0", "0", "1", "--stock", "--read"]);
    const oversold = Math.max(0, (level?.reserved ?? 0) - units) + Math.max(0, held - units);
    console.log(
      `  ${processes} process(es): ${(calls / Number(args.seconds)).toFixed(1)} calls/s (${held} held, ${calls - held} refused), ` +
        `${(conflicts / Math.max(1, calls)).toFixed(3)} lost races per call, ${failures} failed; level on hand ${level?.onHand}, reserved ${level?.reserved}, available ${level?.available}; ` +
        `${held === level?.reserved && oversold === 0 ? "0 oversold, holds = reserved" : "MISMATCH"} (${elapsed.toFixed(1)} s with start-up)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
