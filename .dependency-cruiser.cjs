/**
 * Import boundaries (`npm run check:boundaries`). The layers, bottom up:
 *
 *   workers/platform   the platform: ports, config, errors, HTTP plumbing, event types; imports no family
 *   queues             the event backbone: contracts, routing, outbox, relay, consumer framework
 *   durable-objects/x  an object and its rules; belongs to one family and sits below it
 *   workers/<family>   a family; others reach it only through workers/<family>/index.ts
 *   workers/index.ts, workers/families.ts   the composition root (the Worker entry and the family list)
 *
 * Type-only imports count like any other. Tests, test fixtures and scripts
 * may import a family's files directly (they test and measure them), so they
 * are left out of the graph; `npm run structure` checks that production code
 * imports none of them.
 */
const TEST = "\\.test\\.ts$|^test/|test-fixtures\\.ts$|test-support\\.ts$|/testing\\.ts$";
const ROOT = "^workers/(index|deno|families)\\.ts$";
/** Each object folder's owning family: the object must not import it (the family imports the object). */
const OBJECT_OWNERS = {
  order: "orders",
  cart: "cart",
  inventory: "inventory",
  "login-throttle": "identity",
  "job-lease": "scheduler",
  "rate-limiter": "monitoring",
  "outage-watch": "monitoring",
  "circuit-breaker": "monitoring",
};

module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      // dependency-cruiser folds a subfolder into its parent here; cycles between a folder and its own
      // subfolder are caught by `npm run structure -- --check`, which CI runs too.
      comment: "Folders form no import cycle: each one can be understood, moved or split without the others.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-module-cycles",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "platform-imports-no-family",
      comment: "The platform knows no family, no queue topology and no object: they plug into it.",
      severity: "error",
      from: { path: "^workers/platform/" },
      to: { path: "^(queues|durable-objects|workers/(?!platform/))" },
    },
    {
      name: "queues-import-no-family",
      comment: "The event backbone sits below the families; the composition root hands it their subscriptions.",
      severity: "error",
      from: { path: "^queues/" },
      to: { path: "^(durable-objects|workers/(?!platform/))" },
    },
    {
      name: "family-through-its-entry",
      comment: "Another family is reached only through its workers/<family>/index.ts.",
      severity: "error",
      from: { path: "^(workers|durable-objects)/([^/]+)/" },
      to: { path: "^workers/([^/]+)/", pathNot: ["^workers/$2/", "^workers/platform/", "^workers/[^/]+/index\\.ts$"] },
    },
    {
      name: "object-through-its-entry",
      comment: "An object folder is reached only through its index.ts.",
      severity: "error",
      from: { path: "^(workers|durable-objects|queues)/([^/]+)/" },
      to: { path: "^durable-objects/([^/]+)/", pathNot: ["^durable-objects/$2/", "^durable-objects/[^/]+/index\\.ts$"] },
    },
    ...Object.entries(OBJECT_OWNERS).map(([object, family]) => ({
      name: `object-${object}-below-${family}`,
      comment: `durable-objects/${object} belongs to the ${family} family, which imports it; the reverse would be a cycle.`,
      severity: "error",
      from: { path: `^durable-objects/${object}/` },
      to: { path: `^workers/${family}/` },
    })),
    {
      name: "nothing-imports-the-root",
      severity: "error",
      from: { pathNot: ROOT },
      to: { path: ROOT },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: `node_modules|${TEST}` },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
