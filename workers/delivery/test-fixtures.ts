/** Shared helpers of the delivery tests: shipments made through the service, signed carrier webhooks. */
import { sql } from "drizzle-orm";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import type { SandboxWebhookBody } from "./carrier.ts";
import { createShipmentForOrder, type ShipmentLine, type ShipmentView } from "./service.ts";
import { signWebhook } from "./webhook-signature.ts";

/** The secrets vitest.config.ts gives the sandbox carrier (newest first). */
export const CARRIER_SECRETS = ["test-carrier-secret-new-0123456789", "test-carrier-secret-old-0123456789"] as const;

export const address = { name: "Ana Silva", line1: "Rua Augusta 100", city: "Lisboa", postalCode: "1100053", country: "pt" };

export function orderNumber(): string {
  return `EC-T-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
}

export function shipmentInput(userId: string, overrides: { orderId?: string; lines?: ShipmentLine[]; paymentId?: string } = {}) {
  return {
    orderId: overrides.orderId ?? newId("ord"),
    orderNumber: orderNumber(),
    userId,
    paymentId: overrides.paymentId ?? newId("pay"),
    address,
    lines: overrides.lines ?? [
      { sku: `SKU-${crypto.randomUUID().slice(0, 8)}`, productId: newId("prd"), name: "Ceramic mug", quantity: 2, unitPaidMinor: 1250 },
    ],
    currency: "EUR",
    correlationId: newId("req"),
  };
}

export function makeShipment(userId: string, overrides: Parameters<typeof shipmentInput>[1] = {}): Promise<ShipmentView> {
  return withTestDb((db) => createShipmentForOrder(testEnv, db, shipmentInput(userId, overrides)));
}

export function shipmentCount(orderId: string): Promise<number> {
  return withTestDb(async (db) =>
    Number((await db.execute<{ n: string }>(sql`select count(*) as n from delivery.shipments where order_id = ${orderId}`)).rows[0]!.n),
  );
}

export function advance(shipmentId: string, status: string, token?: string): Promise<Response> {
  return api(`/api/delivery/shipments/${shipmentId}/status`, { method: "POST", json: { status }, ...(token ? { token } : {}) });
}

export function carrierEvent(
  trackingNumber: string,
  code: string,
  occurredAt: Date,
  id = `cev_${crypto.randomUUID()}`,
): SandboxWebhookBody {
  return { id, type: "tracking.updated", data: { trackingNumber, code, occurredAt: occurredAt.toISOString(), note: null } };
}

/** Posts a carrier webhook signed with `secrets` (default: the current one) at `timestamp`. */
export async function postWebhook(
  body: unknown,
  options: { secrets?: readonly string[]; timestamp?: number; header?: string | null; rawBody?: string } = {},
): Promise<Response> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const signed =
    options.header !== undefined
      ? options.header
      : await signWebhook([...(options.secrets ?? [CARRIER_SECRETS[0]])], JSON.stringify(body), options.timestamp);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signed !== null) headers["carrier-signature"] = signed;
  return api("/api/delivery/webhooks/sandbox", { method: "POST", token: null, headers, body: raw });
}
