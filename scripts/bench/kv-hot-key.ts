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
  options: { seconds: { type: "string", default: "5" }, callers: { type: "string", default: "8" } },
});
const DENO = path.join(process.cwd(), "node_modules", ".bin", "deno");
const SCRIPT = "scripts/bench/kv-hot-key-process.ts";

type Run = { calls?: number; conflicts?: number; failures?: number; value?: number; firstFailure?: string };

function runDeno(argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(DENO, ["run", "--no-check", "--unstable-kv", "--allow-read", "--allow-write", SCRIPT, ...argv], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
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
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
