/**
 * The carrier port: buy a label, cancel it before pickup, and read the
 * carrier's signed status webhooks. The built-in sandbox carrier behaves like
 * a remote one where it matters: a label request is idempotent on its key
 * (the same order always gets the same label and tracking number, so a retry
 * after a lost answer buys nothing twice), it can fail (fault point
 * `carrier.label`), and it speaks its own status vocabulary that the adapter
 * maps onto ours.
 */
import { z } from "zod";
import { platformConfig } from "../platform/config.ts";
import type { Database } from "../platform/db.ts";
import { failIfInjected, InjectedFault } from "../platform/faults.ts";
import { callDependency } from "../platform/resilience/dependency-call.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { ShippingAddress } from "./address.ts";
import type { ShipmentLine, ShipmentStatus } from "./types.ts";
import { SIGNATURE_HEADER, type VerifyResult, verifyWebhook } from "./webhook-signature.ts";

export interface LabelRequest {
  /** Derived from the order: the carrier answers a repeat with the first label. */
  idempotencyKey: string;
  orderId: string;
  orderNumber: string;
  address: ShippingAddress;
  lines: ShipmentLine[];
}

export interface Label {
  labelId: string;
  trackingNumber: string;
  /** https only: it ends up in customer messages. */
  trackingUrl: string | null;
  estimatedDelivery: string | null;
}

export interface CarrierStatusUpdate {
  eventId: string;
  trackingNumber: string;
  status: ShipmentStatus;
  occurredAt: Date;
  note: string | null;
}

export type WebhookParse =
  | { ok: true; updates: CarrierStatusUpdate[] }
  | { ok: false; reason: Exclude<VerifyResult, { ok: true }>["reason"] }
  | { ok: false; reason: "invalid_payload"; detail: string };

export interface CarrierContext {
  rt: Runtime;
  db: Database;
}

/** How long a carrier call may take before it counts as failed (the consumer or saga step retries it later). */
const CARRIER_TIMEOUT_MS = 10_000;

/**
 * A carrier call behind the carrier's circuit, bulkhead and timeout
 * (workers/platform/resilience/). Both calls are idempotent at the carrier
 * (the label key is the order; voiding a voided label changes nothing), so
 * they are retried with back-off. The per-order fault points above
 * (`carrier.label`, `carrier.cancel`) fail one order's call, not the
 * carrier: they do not count against its circuit (`dependency:carrier` does).
 */
export function guardedCarrierCall<T>(ctx: CarrierContext, operation: "create_label" | "cancel_label", fn: () => Promise<T>): Promise<T> {
  return callDependency(
    ctx.rt,
    {
      dependency: "carrier",
      operation,
      timeoutMs: CARRIER_TIMEOUT_MS,
      idempotent: true,
      isFailure: (err) => !(err instanceof InjectedFault),
      db: ctx.db,
    },
    fn,
  );
}

export interface Carrier {
  name: string;
  createLabel(ctx: CarrierContext, request: LabelRequest): Promise<Label>;
  /** Voids a label that was not picked up; true when the carrier accepted (or already had). */
  cancel(ctx: CarrierContext, label: { labelId: string; trackingNumber: string; orderId: string }): Promise<boolean>;
  parseWebhook(secrets: readonly string[], headers: Headers, rawBody: string, nowMs?: number): Promise<WebhookParse>;
}

const SANDBOX_HOST = "https://track.sandbox-carrier.example";
const SANDBOX_TRANSIT_DAYS = 3;

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** 12 digits from the key's hash: the same key always yields the same tracking number. */
export async function sandboxTrackingNumber(key: string): Promise<string> {
  const d = await digest(`sandbox-label:${key}`);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(d[i]!);
  return `SBX${(n % 10n ** 12n).toString().padStart(12, "0")}`;
}

export function trackingUrlFor(rt: Pick<Runtime, "vars">, trackingNumber: string): string {
  const storefront = platformConfig.read(rt).STOREFRONT_URL.replace(/\/+$/, "");
  // Customer messages only link https pages; a local storefront gets the sandbox's own page.
  const base = storefront.startsWith("https://") ? `${storefront}/track` : SANDBOX_HOST;
  return `${base}/${encodeURIComponent(trackingNumber)}`;
}

/** The sandbox's own status codes, as a real carrier has its own vocabulary. */
export const SANDBOX_STATUS_CODES: Record<string, ShipmentStatus> = {
  picked_up: "dispatched",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  delivered: "delivered",
  delivery_failed: "failed_attempt",
  returned_to_sender: "returned",
};

const sandboxWebhookBody = z.object({
  id: z.string().min(1).max(120),
  type: z.literal("tracking.updated"),
  data: z.object({
    trackingNumber: z.string().min(1).max(80),
    code: z.enum(Object.keys(SANDBOX_STATUS_CODES) as [string, ...string[]]),
    occurredAt: z.iso.datetime({ offset: true }),
    note: z.string().max(500).nullable().optional(),
  }),
});
export type SandboxWebhookBody = z.input<typeof sandboxWebhookBody>;

const sandboxCarrier: Carrier = {
  name: "sandbox",
  async createLabel(ctx, request) {
    await failIfInjected(ctx.rt, ctx.db, "carrier.label", request.orderId);
    const trackingNumber = await sandboxTrackingNumber(request.idempotencyKey);
    const labelHash = Array.from((await digest(`sandbox-label-id:${request.idempotencyKey}`)).slice(0, 8), (b) =>
      b.toString(16).padStart(2, "0"),
    ).join("");
    const eta = new Date(ctx.rt.clock.now().getTime() + SANDBOX_TRANSIT_DAYS * 86_400_000).toISOString().slice(0, 10);
    return { labelId: `lbl_${labelHash}`, trackingNumber, trackingUrl: trackingUrlFor(ctx.rt, trackingNumber), estimatedDelivery: eta };
  },
  async cancel(ctx, label) {
    await failIfInjected(ctx.rt, ctx.db, "carrier.cancel", label.orderId);
    return true;
  },
  async parseWebhook(secrets, headers, rawBody, nowMs) {
    const verified = await verifyWebhook(secrets, headers.get(SIGNATURE_HEADER), rawBody, nowMs);
    if (!verified.ok) return { ok: false, reason: verified.reason };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { ok: false, reason: "invalid_payload", detail: "the body is not JSON" };
    }
    const parsed = sandboxWebhookBody.safeParse(json);
    if (!parsed.success)
      return {
        ok: false,
        reason: "invalid_payload",
        detail: parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "),
      };
    const { id, data } = parsed.data;
    return {
      ok: true,
      updates: [
        {
          eventId: id,
          trackingNumber: data.trackingNumber,
          status: SANDBOX_STATUS_CODES[data.code]!,
          occurredAt: new Date(data.occurredAt),
          note: data.note ?? null,
        },
      ],
    };
  },
};

const CARRIERS: Record<string, Carrier> = { sandbox: sandboxCarrier };

export function findCarrier(name: string): Carrier | undefined {
  return Object.hasOwn(CARRIERS, name) ? CARRIERS[name] : undefined;
}

/** The carrier new shipments go with. */
export const DEFAULT_CARRIER = sandboxCarrier;
