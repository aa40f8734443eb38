/**
 * `npm run structure [-- <root>] [--verbose] [--check]`: the structure's figures, from the same
 * import graph the boundary check uses (dependency-cruiser, type-only
 * imports included, test files and scripts excluded):
 *
 * - imports that run up the layers (platform < queues < families and their objects < composition root);
 * - folders caught in an import cycle (strongly connected folders);
 * - imports of another family's inner files (not its index.ts);
 * - `as` casts on event payloads;
 * - modules that touch a binding directly (outside the runtime adapters);
 * - modules that import the raw environment type (Env / CloudflareEnv).
 *
 * `<root>` defaults to this checkout; pointing it at an older checkout
 * measures that one with the same definitions (the old `workers/kernel` and
 * `workers/gateway` count as the platform, the old registries as the root).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cruise } from "dependency-cruiser";

const root = path.resolve(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? ".");
const TEST = /\.test\.ts$|^test\/|test-fixtures\.ts$|test-support\.ts$|\/testing\.ts$/;
/** The composition root, and in older checkouts the registries that listed every family. */
const COMPOSITION = new RegExp(
  [
    "^workers/(index|deno|families)\\.ts$",
    "^workers/gateway/app\\.ts$",
    "^workers/scheduler/registry\\.ts$",
    "^queues/consumers/groups\\.ts$",
    "^durable-objects/index\\.ts$",
    // The old queue() entry imported the groups registry; today queues/index.ts is the backbone's face.
    ...(existsSync(path.join(root, "queues/consumers/groups.ts")) ? ["^queues/index\\.ts$"] : []),
  ].join("|"),
);

/** 0 platform, 1 event backbone, 2 families with their objects, 3 composition root. */
function layer(file: string): number {
  if (COMPOSITION.test(file)) return 3;
  if (/^workers\/(platform|kernel|gateway)\//.test(file)) return 0;
  if (/^queues\//.test(file)) return 1;
  return 2;
}

function folder(file: string): string {
  return path.dirname(file);
}

function familyOf(file: string): string | null {
  const m = /^workers\/([^/]+)\//.exec(file);
  return m && !["platform", "kernel", "gateway"].includes(m[1]!) ? m[1]! : null;
}

const previous = process.cwd();
process.chdir(root);
const result = await cruise(["workers", "durable-objects", "queues"], {
  tsPreCompilationDeps: true,
  exclude: { path: "node_modules" },
  doNotFollow: { path: "node_modules" },
  tsConfig: { fileName: path.join(root, "tsconfig.json") },
});
process.chdir(previous);
if (typeof result.output === "string") throw new Error("unexpected output");

const edges: Array<[string, string]> = [];
const testImports: Array<[string, string]> = [];
const sources: string[] = [];
for (const mod of result.output.modules) {
  if (!/^(workers|durable-objects|queues)\//.test(mod.source) || TEST.test(mod.source)) continue;
  sources.push(mod.source);
  for (const dep of mod.dependencies) {
    if (dep.coreModule || !/^(workers|durable-objects|queues|db|test)\//.test(dep.resolved)) continue;
    if (TEST.test(dep.resolved)) {
      testImports.push([mod.source, dep.resolved]);
      continue;
    }
    edges.push([mod.source, dep.resolved]);
  }
}

const upward = edges.filter(([a, b]) => !b.startsWith("db/") && layer(b) > layer(a));
const deep = edges.filter(([a, b]) => {
  const to = familyOf(b);
  if (!to || b === `workers/${to}/index.ts`) return false;
  const from = familyOf(a) ?? (/^durable-objects\//.test(a) ? `object:${a.split("/")[1]}` : null);
  return from !== to && layer(a) !== 3;
});

// Folder graph and its strongly connected components (Tarjan).
const graph = new Map<string, Set<string>>();
for (const [a, b] of edges) {
  if (b.startsWith("db/")) continue;
  const [fa, fb] = [folder(a), folder(b)];
  if (!graph.has(fa)) graph.set(fa, new Set());
  if (!graph.has(fb)) graph.set(fb, new Set());
  if (fa !== fb) graph.get(fa)!.add(fb);
}
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const components: string[][] = [];
function connect(v: string): void {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)!) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) connect(v);
const cyclic = components.filter((c) => c.length > 1);

const text = (file: string) => readFileSync(path.join(root, file), "utf8");
/** The typed-subscription wrappers: the one place each where a validated payload meets its contract's type. */
const WRAPPERS = ["workers/platform/event-handlers.ts", "workers/pipeline/fact-loaders.ts"];
// Casts of an event or its payload to a type: handlers should get their type from `on(Contract, ...)`.
const CAST = /\b(?:payload|event)\s+as\s+[A-Z{]/g;
const castSites = sources.flatMap((f) => (text(f).match(CAST) ? [`${f} (${text(f).match(CAST)!.length})`] : []));
const handlerCasts = castSites.filter((site) => !WRAPPERS.some((w) => site.startsWith(w)));
const count = (site: string) => Number(/\((\d+)\)$/.exec(site)![1]);
const casts = handlerCasts.reduce((n, site) => n + count(site), 0);
const wrapperCasts = castSites.reduce((n, site) => n + count(site), 0) - casts;
// Bindings reached outside the Cloudflare adapter: `env.X`, `env[...]`, `caches.default`.
const BINDING = /\benv\.[A-Z][A-Z_]{2,}\b|\benv\[|caches\.default/;
// The two runtime adapters are where bindings live: the Cloudflare one reads them, the Deno one shapes them over its ports.
const ADAPTERS = ["workers/platform/cloudflare/", "workers/platform/deno/"];
const bindingUsers = sources.filter((f) => !ADAPTERS.some((a) => f.startsWith(a)) && BINDING.test(text(f)));
const envImporters = sources.filter((f) => /import[^;]*\b(Env|CloudflareEnv)\b[^;]*from/.test(text(f)));

console.log(`structure of ${root}`);
console.log(`  modules (non-test)                 ${sources.length}`);
console.log(`  folders                            ${graph.size}`);
console.log(`  imports up the layers              ${upward.length}`);
console.log(`  folders in import cycles           ${cyclic.reduce((n, c) => n + c.length, 0)} (${cyclic.length} cycle groups)`);
console.log(`  imports of another family's files  ${deep.length}`);
console.log(`  'as' casts on event payloads       ${casts} outside the typed wrappers (${wrapperCasts} inside: ${WRAPPERS.join(", ")})`);
console.log(`  production imports of test code    ${testImports.length}`);
console.log(
  `  modules touching a binding directly ${bindingUsers.length} (outside the adapters in workers/platform/cloudflare/ and deno/)`,
);
console.log(
  `  modules importing the raw env type ${envImporters.length}${envImporters.length <= 12 ? ` (${envImporters.join(", ")})` : ""}`,
);
if (process.argv.includes("--verbose")) {
  for (const [a, b] of upward) console.log(`  up: ${a} -> ${b}`);
  for (const c of cyclic) console.log(`  cycle: ${c.sort().join(", ")}`);
  for (const [a, b] of deep) console.log(`  deep: ${a} -> ${b}`);
  for (const [a, b] of testImports) console.log(`  test code: ${a} -> ${b}`);
  for (const site of castSites) console.log(`  cast: ${site}`);
  for (const file of bindingUsers) console.log(`  binding: ${file}`);
}
// --check: the figures that must stay at zero (CI).
if (process.argv.includes("--check")) {
  const failing = {
    upward: upward.length,
    cyclic: cyclic.length,
    deep: deep.length,
    casts,
    testImports: testImports.length,
    bindings: bindingUsers.length,
  };
  if (Object.values(failing).some((n) => n > 0)) {
    console.error(`structure check failed: ${JSON.stringify(failing)} (run with --verbose for the list)`);
    process.exit(1);
  }
}
