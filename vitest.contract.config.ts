/**
 * The HTTP contract suite (test/contract): the same tests against one
 * runtime at a time, started by the suite itself with its own Postgres:
 * `CONTRACT_RUNTIME=workerd` (wrangler dev) or `CONTRACT_RUNTIME=deno`
 * (deno serve). Runs in Node and talks to the runtime over HTTP only.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/contract/**/*.contract.ts"],
    globalSetup: ["./test/contract/runtime-server.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
