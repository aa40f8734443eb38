/**
 * Runs the Deno entry (workers/deno.ts) with `deno serve`, from the deno
 * npm package, with wrangler.toml's [vars] and the given vars in its
 * environment: the Deno counterpart of `wrangler dev`. Its Deno KV store and
 * blobs live in `dataDir`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The [vars] of wrangler.toml: every value there is a one-line string. */
export function wranglerVars(file: string): Record<string, string> {
  const block = /^\[vars\]\s*$([\s\S]*?)(?=^\[)/m.exec(readFileSync(file, "utf8"))?.[1] ?? "";
  const vars: Record<string, string> = {};
  for (const m of block.matchAll(/^([A-Z0-9_]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*$/gm)) {
    const raw = m[2]!;
    vars[m[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }
  return vars;
}

/** The permissions the Deno entry needs: the network (clients, Postgres), its environment, and files under the project. */
export const DENO_PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read=.", "--allow-write=.data"];

export function startDenoServer(options: { port: number; vars: Record<string, string>; dataDir: string }): ChildProcess {
  const dir = path.resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const bin = path.join(process.cwd(), "node_modules", ".bin", "deno");
  // The data folder may lie outside the project (a test's scratch folder): read and write it too.
  const permissions = DENO_PERMISSIONS.map((p) =>
    p === "--allow-write=.data" ? `--allow-write=${dir}` : p === "--allow-read=." ? `--allow-read=.,${dir}` : p,
  );
  return spawn(bin, ["serve", ...permissions, "--host=127.0.0.1", `--port=${options.port}`, "workers/deno.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      ...wranglerVars(path.join(process.cwd(), "wrangler.toml")),
      ...options.vars,
      DENO_KV_PATH: path.join(dir, "kv.sqlite3"),
      BLOBS_DIR: path.join(dir, "blobs"),
      DENO_NO_UPDATE_CHECK: "1",
    },
  });
}
