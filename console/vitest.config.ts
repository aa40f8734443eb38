/**
 * The console's tests, run in Node by `npm test` after the Worker's suite:
 * unit tests of its logic (formatters, table and URL state, problems, forms),
 * and end-to-end flows in Debian's Chromium against the stack `npm run dev`
 * starts (a throwaway PostgreSQL, wrangler dev, the built console).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      // Paths are from the repository's root, where npm scripts run.
      // (console/scripts holds the checks that read the repository's files, in Node.)
      { test: { name: "console-unit", include: ["console/src/**/*.test.ts", "console/scripts/**/*.test.ts"], environment: "node" } },
      {
        test: {
          name: "console-browser",
          include: ["console/e2e/**/*.e2e.ts"],
          environment: "node",
          globalSetup: ["console/e2e/global-setup.ts"],
          // One browser flow at a time: they share the stack, and the machine's cores.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
