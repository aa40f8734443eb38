/** Helpers for the payments tests: fresh inputs, the sandbox's own records, signed sandbox webhooks. */
import { sql } from "drizzle-orm";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import { signatureHeader } from "../platform/webhook-signature.ts";
import { authorizePayment } from "./service.ts";

export const WEBHOOK_SECRETS = ["whsec_test_payments_new_0123456789", "whsec_test_payments_old_0123456789"];

export function authorizeInput(overrides: Partial<Parameters<typeof authorizePayment>[2]> = {}): Parameters<typeof authorizePayment>[2] {
  const orderId = overrides.orderId ?? newId("ord");
  return {
    orderId,
    orderNumber: `EC-TEST-${orderId.slice(-8)}`,
    userId: newId("usr"),
    amountMinor: 5000,
    currency: "EUR",
    paymentMethodId: "pm_card_visa",
    idempotencyKey: `authorize:${orderId}:1`,
    correlationId: newId("req"),
    ...overrides,
  };
}

export const authorize = (overrides: Partial<Parameters<typeof authorizePayment>[2]> = {}) =>
  withTestDb((db) => authorizePayment(testEnv, db, authorizeInput(overrides)));

export interface SandboxIntent {
  id: string;
  status: string;
  amount_captured: string;
  amount_refunded: string;
}

/** The sandbox provider's records of the payment's authorisation (provider side). */
export function sandboxIntents(paymentId: string): Promise<SandboxIntent[]> {
  return withTestDb(
    async (db) =>
      (
        await db.execute<SandboxIntent & Record<string, unknown>>(
          sql`select id, status, amount_captured, amount_refunded from payments.sandbox_intents where metadata->>'paymentId' = ${paymentId}`,
        )
      ).rows,
  );
}

/** How often the sandbox answered a key from its idempotency store. */
export function sandboxReplays(key: string): Promise<number | null> {
  return withTestDb(async (db) => {
    const rows = (await db.execute<{ replays: number }>(sql`select replays from payments.sandbox_requests where idempotency_key = ${key}`))
      .rows;
    return rows[0] ? Number(rows[0].replays) : null;
  });
}

export function sandboxRefundCount(intentId: string): Promise<number> {
  return withTestDb(async (db) =>
    Number(
      (await db.execute<{ n: string }>(sql`select count(*) as n from payments.sandbox_refunds where intent_id = ${intentId}`)).rows[0]!.n,
    ),
  );
}

export interface SandboxEvent {
  id?: string;
  type: string;
  object: Record<string, unknown>;
  /** Unix seconds; now by default. */
  created?: number;
}

export function sandboxEventBody(e: SandboxEvent): string {
  return JSON.stringify({
    id: e.id ?? newId("evt"),
    type: e.type,
    created: e.created ?? Math.floor(Date.now() / 1000),
    data: { object: e.object },
  });
}

/** POSTs a sandbox webhook, signed with `secrets` (the configured ones by default) at `timestamp`. */
export async function sendWebhook(
  body: string,
  options: { secrets?: string[]; timestamp?: number; header?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const header =
    options.header === undefined
      ? await signatureHeader(options.secrets ?? [WEBHOOK_SECRETS[0]!], body, options.timestamp)
      : options.header;
  if (header !== null) headers["sandbox-signature"] = header;
  return api("/api/payments/webhooks/sandbox", { method: "POST", token: null, headers, body });
}
