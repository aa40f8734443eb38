/**
 * `npm run openapi [-- out.json]`: builds the Worker as `wrangler deploy`
 * would, serves it with Miniflare and writes its OpenAPI document (keys
 * sorted, so two documents diff by content rather than by order).
 */
import { writeFileSync } from "node:fs";
import { build, startMiniflareApp } from "./bench/runtime.ts";

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sorted(v)]),
    );
  }
  return value;
}

const out = process.argv[2] ?? "openapi.json";
// The document needs no database; a syntactically valid URL satisfies the configuration.
const app = await startMiniflareApp(build(), { DATABASE_URL: "postgres://unused@127.0.0.1:1/unused", APP_ENV: "development" });
try {
  const res = await fetch(`${app.url}/api/openapi.json`);
  if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
  writeFileSync(out, `${JSON.stringify(sorted(await res.json()), null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await app.stop();
}
