/**
 * Tests run inside workerd (@cloudflare/vitest-plugin) with the real Durable
 * Objects, Queues and cron handlers of wrangler.toml, against a real
 * PostgreSQL server that test/global-setup.ts starts on free ports.
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { encryptionKeyVar, signingKeysVar } from "./scripts/local/identity-keys.ts";
import { freePort } from "./scripts/local/ports.ts";
import { isNeon } from "./scripts/local/stack.ts";

export const TEST_OPS_TOKEN = "test-ops-token-0123456789abcdef";

export default defineConfig(async () => {
  // Chosen once and shared with global-setup through the environment.
  process.env.TEST_PG_PORT ??= String(await freePort());
  process.env.TEST_RELAY_PORT ??= String(await freePort());
  const external = process.env.DATABASE_URL;
  const databaseUrl = external ?? `postgres://postgres:postgres@127.0.0.1:${process.env.TEST_PG_PORT}/commerce`;
  const wsproxy: Record<string, string> =
    external && isNeon(external) ? {} : { NEON_WSPROXY: `127.0.0.1:${process.env.TEST_RELAY_PORT}/v2` };
  // Backups: a second database on the same server for restore drills (created and migrated by global-setup).
  if (!external) process.env.TEST_SCRATCH_DATABASE_URL ??= databaseUrl.replace(/\/commerce$/, "/commerce_scratch");
  const scratch: Record<string, string> = process.env.TEST_SCRATCH_DATABASE_URL
    ? { BACKUP_SCRATCH_DATABASE_URL: process.env.TEST_SCRATCH_DATABASE_URL }
    : {};

  // Fast queues for tests: no batching wait, few retries, no delay.
  const queue = (dlq?: string) => ({
    maxBatchSize: 10,
    maxBatchTimeout: 0.05,
    maxRetries: dlq ? 2 : 5,
    retryDelay: 0,
    ...(dlq ? { deadLetterQueue: dlq } : {}),
  });
  const groups = ["notifications", "audit", "pipeline", "search", "inventory-projection", "fulfilment", "recommendations"];
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
            // Warnings and errors only: with the console not intercepted (below), they go straight to the output.
            LOG_LEVEL: "warn",
            DATABASE_URL: databaseUrl,
            ...wsproxy,
            OPS_TOKEN: TEST_OPS_TOKEN,
            // SLO alerts go to this address (the capture provider keeps the mail). The scheduled evaluation is off: it
            // would judge the suite's one shop, whose files inject faults on purpose, and degrade every file's health
            // checks; its tests evaluate SLOs of their own. The isolates still flush their counts, as in production.
            OPS_ALERT_EMAIL: "ops@shop.example",
            SLO_EVALUATION: "off",
            FAULT_INJECTION: "on",
            // The gateway's rate limits would count the whole suite against one caller; their tests turn them on.
            RATE_LIMITS: "off",
            // The database outage watch probes often enough for a test to see the recovery.
            OUTAGE_PROBE_SECONDS: "0.2",
            QUEUE_RETRY_BASE_SECONDS: "0",
            CORS_ORIGINS: "https://shop.example",
            MAX_BODY_BYTES: "65536",
            // Identity: fresh keys every run, the newest (Ed25519) signs and an older ES256 key still verifies,
            // as in the middle of a key rotation. A lower hashing cost keeps the suite fast; production uses 600,000.
            JWT_SIGNING_KEYS: signingKeysVar([{ kid: `test-ed25519-${Date.now()}` }, { kid: `test-es256-${Date.now()}`, alg: "ES256" }]),
            JWT_ISSUER: "https://api.test",
            JWT_AUDIENCE: "edge-commerce-test",
            MFA_ENCRYPTION_KEY: encryptionKeyVar(),
            PASSWORD_ITERATIONS: "20000",
            // Test files sign up many accounts from one (unnamed) client address; the sign-up throttle's own tests set it low.
            SIGNUPS_PER_ADDRESS_PER_HOUR: "1000000",
            // Trusted issuers whose keys the SSO tests make and serve themselves (no network).
            SSO_ISSUERS: JSON.stringify([
              {
                issuer: "https://idp.test.example",
                audience: "edge-commerce-test-client",
                jwksUrl: "https://idp.test.example/.well-known/jwks.json",
              },
              { issuer: "https://other-idp.test.example", audience: "other-client", jwksUrl: "https://other-idp.test.example/jwks" },
            ]),
            AUDIT_CHECKPOINT_KEY: "test-audit-checkpoint-key-0123456789abcdef",
            AUDIT_RETENTION_DAYS: '{"default":3650,"ProbeExpiring":30}',
            // Pipeline: the key of the pseudonymous ids in analytics.
            PII_HASH_KEY: "test-pii-hash-key-0123456789abcdef-0123",
            // Cart limits small enough for a test to reach.
            CART_MAX_LINES: "4",
            CART_MAX_QUANTITY: "10",
            CART_COOKIE_KEY: "test-cart-cookie-key-0123456789abcdef",
            ORDER_GUEST_LINK_KEY: "test-guest-order-link-key-0123456789abcdef",
            // Delivery: two sandbox carrier secrets, as in the middle of a rotation.
            CARRIER_WEBHOOK_SECRETS: JSON.stringify({
              sandbox: ["test-carrier-secret-new-0123456789", "test-carrier-secret-old-0123456789"],
            }),
            RETURN_WINDOW_DAYS: "30",
            // Payments: the sandbox provider, and two webhook secrets, as in the middle of a rotation.
            PAYMENT_PROVIDER: "sandbox",
            PAYMENT_WEBHOOK_SECRETS: "whsec_test_payments_new_0123456789,whsec_test_payments_old_0123456789",
            // Orders: the checkout saga's retries of an unavailable dependency, quick enough for a test to wait out.
            ORDER_SAGA_RETRY_BASE_MS: "50",
            ORDER_SAGA_MAX_RETRIES: "3",
            // Resilience: an open circuit lets its probe through after two seconds, so a test can wait out the cool-down.
            CIRCUIT_COOL_DOWN_SECONDS: "2",
            // Search: answers not edge-cached, so a test sees a catalogue change at once (workers/search/edge-cache.test.ts turns it on).
            SEARCH_EDGE_FRESH_SECONDS: "0",
            // Backups: small parts, so a test's data spans several; the scratch database of drills.
            BACKUP_PART_BYTES: "16384",
            ...scratch,
            // Every response a test sees is checked against the OpenAPI document (test/helpers/contract.ts):
            // a mismatch fails the test; CONTRACT_RESPONSES=record only prints each as CONTRACT-MISMATCH (to survey a change).
            CONTRACT_RESPONSES: process.env.CONTRACT_RESPONSES === "record" ? "record" : "enforce",
          },
          queueConsumers,
        },
      }),
    ],
    test: {
      include: [
        "workers/**/*.test.ts",
        "durable-objects/**/*.test.ts",
        "queues/**/*.test.ts",
        "db/**/*.test.ts",
        "test/**/*.test.ts",
        "tail/**/*.test.ts",
      ],
      globalSetup: ["./test/global-setup.ts"],
      testTimeout: 30_000,
      silent: "passed-only" as const,
      // Logs of consumers and alarms still running when a file ends would otherwise reach vitest after the
      // file closed its channel ("Closing rpc while onUserConsoleLog was pending") and fail the run.
      disableConsoleIntercept: true,
      // Files share one Postgres and the queues; running them one at a time keeps assertions about "pending" and "published" exact.
      fileParallelism: false,
      hookTimeout: 60_000,
    },
  };
});
