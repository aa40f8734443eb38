/** Test helpers for the inventory objects: unique SKUs, stubs, and reads of what an object stored. */
import { runInDurableObject } from "cloudflare:test";
import { testEnv } from "../../test/helpers/db.ts";
import type { Inventory } from "./inventory.ts";
import type { LedgerEntry } from "./types.ts";

export const ops = { type: "service" as const, id: "ops" };
export const buyer = (n: number | string) => ({ type: "user" as const, id: `usr_buyer${n}` });

export function uniqueSku(label = "T"): string {
  return `${label}-${crypto.randomUUID().slice(0, 13).toUpperCase()}`;
}

export const stock = (sku: string) => testEnv.objects.get<Inventory>("INVENTORY", sku);

/** A SKU object opened with `onHand` units. */
export async function openSku(
  onHand: number,
  settings: { lowStockThreshold?: number; reorderPoint?: number; reorderQuantity?: number } = {},
  label = "T",
) {
  const sku = uniqueSku(label);
  const result = await stock(sku).openBalance({ sku, operationId: `open-${sku}`, onHand, settings, actor: ops });
  if (!result.ok) throw new Error(`could not open ${sku}: ${result.code}`);
  return { sku, stub: stock(sku) };
}

/** The whole ledger, oldest first. */
export async function fullLedger(sku: string): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (;;) {
    const page = await stock(sku).ledger(sku, { afterSeq: out[out.length - 1]?.seq ?? 0, limit: 500, order: "asc" });
    out.push(...page);
    if (page.length < 500) return out;
  }
}

/** Reads stored holds directly, without going through an operation (which would expire due holds first). */
export function storedHolds(
  stub: DurableObjectStub<Inventory>,
): Promise<{ reservation_id: string; status: string; quantity: number; expires_at: number }[]> {
  return runInDurableObject(stub, (_instance: Inventory, state) =>
    state.storage.sql
      .exec<{ reservation_id: string; status: string; quantity: number; expires_at: number }>(
        "SELECT reservation_id, status, quantity, expires_at FROM holds",
      )
      .toArray(),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
