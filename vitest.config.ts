/**
 * Tests run inside workerd (@cloudflare/vitest-plugin) with the real Durable
 * Objects, Queues and cron handlers of wrangler.toml, against a real
 * PostgreSQL server that test/global-setup.ts starts on free ports.
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { freePort } from "./scripts/local/ports.ts";
import { isNeon } from "./scripts/local/stack.ts";

export const TEST_OPS_TOKEN = "test-ops-token-0123456789abcdef";

export default defineConfig(async () => {
  // Chosen once and shared with global-setup through the environment.
  process.env.TEST_PG_PORT ??= String(await freePort());
  process.env.TEST_RELAY_PORT ??= String(await freePort());
  const external = process.env.DATABASE_URL;
  const databaseUrl = external ?? `postgres://postgres:postgres@127.0.0.1:${process.env.TEST_PG_PORT}/commerce`;
  const wsproxy: Record<string, string> = external && isNeon(external) ? {} : { NEON_WSPROXY: `127.0.0.1:${process.env.TEST_RELAY_PORT}/v2` };

  // Fast queues for tests: no batching wait, few retries, no delay.
  const queue = (dlq?: string) => ({ maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: dlq ? 2 : 5, retryDelay: 0, ...(dlq ? { deadLetterQueue: dlq } : {}) });
  const groups = ["notifications", "audit", "pipeline", "search"];
  const queueConsumers = Object.fromEntries(
    groups.flatMap((g) => [
      [`${g}-events`, queue(`${g}-events-dlq`)],
      [`${g}-events-dlq`, queue()],
    ]),
  );

  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            APP_ENV: "test",
            DATABASE_URL: databaseUrl,
            ...wsproxy,
            OPS_TOKEN: TEST_OPS_TOKEN,
            FAULT_INJECTION: "on",
            QUEUE_RETRY_BASE_SECONDS: "0",
            CORS_ORIGINS: "https://shop.example",
            MAX_BODY_BYTES: "65536",
            AUDIT_CHECKPOINT_KEY: "test-audit-checkpoint-key-0123456789abcdef",
            AUDIT_RETENTION_DAYS: '{"default":3650,"ProbeExpiring":30}',
          },
          queueConsumers,
        },
      }),
    ],
    test: {
      include: ["workers/**/*.test.ts", "durable-objects/**/*.test.ts", "queues/**/*.test.ts", "db/**/*.test.ts", "test/**/*.test.ts"],
      globalSetup: ["./test/global-setup.ts"],
      testTimeout: 30_000,
      silent: "passed-only" as const,
      // Files share one Postgres and the queues; running them one at a time keeps assertions about "pending" and "published" exact.
      fileParallelism: false,
      hookTimeout: 60_000,
    },
  };
});
