/**
 * The probe Worker of the identity benchmark (auth.ts): built from
 * auth-probe.wrangler.toml, it runs the production password and token
 * functions back to back inside workerd, timed from inside and outside and by
 * the CPU time of its workerd process.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { signingKeysVar } from "../local/identity-keys.ts";
import { freePort } from "../local/ports.ts";
import { cpuMs, newPids, pidsOf, round, WORKERD } from "./measure.ts";
import { ROOT } from "./runtime.ts";

function buildProbe(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-auth-"));
  execFileSync(
    path.join(ROOT, "node_modules", ".bin", "wrangler"),
    ["deploy", "--dry-run", "--outdir", out, "-c", path.join(ROOT, "scripts/bench/auth-probe.wrangler.toml")],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const js = readdirSync(out).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`no bundle in ${out}`);
  return path.join(out, js);
}

export async function startProbe(): Promise<{ url: string; pids: number[]; stop: () => Promise<void> }> {
  const script = buildProbe();
  const port = await freePort();
  const before = pidsOf(WORKERD);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
      modulesRoot: path.dirname(script),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { KEYS_EdDSA: signingKeysVar([{ kid: "probe-ed" }]), KEYS_ES256: signingKeysVar([{ kid: "probe-es", alg: "ES256" }]) },
      host: "127.0.0.1",
      port,
    } as V4MiniflareOptions),
  );
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, pids: newPids(before, WORKERD), stop: () => mf.dispose() };
}

export interface PerOp {
  /** CPU time of the probe's workerd process per operation: unaffected by other load on the machine. */
  cpuMs: number;
  /** performance.now() around the loop inside the Worker. */
  insideMs: number;
  outsideMs: number;
}

/** Per-operation time: inside workerd (performance.now around the loop), and outside (wall time of n runs minus one run of 0). */
export async function perOperation(url: string, n: number, pids: number[]): Promise<PerOp> {
  const call = async (count: number) => {
    const t0 = performance.now();
    const body = (await (await fetch(`${url}&n=${count}`)).json()) as { ms: number };
    return { inside: body.ms, wall: performance.now() - t0 };
  };
  await call(2); // warm-up: compile, import keys
  const empty = await call(0);
  const cpu0 = cpuMs(pids);
  const full = await call(n);
  const cpu = cpuMs(pids) - cpu0;
  return { cpuMs: round(cpu / n, 3), insideMs: round(full.inside / n, 3), outsideMs: round((full.wall - empty.wall) / n, 3) };
}
