/**
 * Fixtures for the search tests: product snapshots and events, delivered to
 * the search consumer through the Worker's queue() handler, and reads of the
 * projection. Every name carries a per-run random word, because the database
 * is shared by every test file.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { ProductCreated, ProductDeleted, type ProductSnapshot, ProductUpdated } from "../../queues/contracts/events/product.ts";
import { testBindings, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import worker from "../index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import type { SearchResponse } from "./results.ts";

/** A random lower-case word, unique to this run, that no dictionary word resembles. */
export function randomWord(length = 9): string {
  const consonants = "bcdfghjklmnpqrstvwxz";
  const vowels = "aeiouy";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b, i) => (i % 2 === 0 ? consonants[b % consonants.length] : vowels[b % vowels.length])).join("");
}

export interface SnapshotInput {
  name: string;
  description?: string;
  status?: ProductSnapshot["status"];
  brand?: { slug: string; name: string } | null;
  category?: { slug: string; name: string; path: string } | null;
  prices?: number[];
  version?: number;
  productId?: string;
  createdAt?: string;
}

export function snapshot(input: SnapshotInput): ProductSnapshot {
  const productId = input.productId ?? newId("prd");
  const now = input.createdAt ?? new Date().toISOString();
  return {
    productId,
    slug: `${input.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${productId.slice(-6).toLowerCase()}`,
    name: input.name,
    description: input.description ?? "",
    status: input.status ?? "active",
    brand: input.brand === undefined || input.brand === null ? null : { id: `brd_${input.brand.slug}`, ...input.brand },
    category: input.category === undefined || input.category === null ? null : { id: `cat_${input.category.path}`, ...input.category },
    tags: [],
    imageUrl: null,
    variants: (input.prices ?? [1999]).map((priceMinor, i) => ({
      variantId: `var_${productId}_${i}`,
      sku: `${productId}-V${i}`,
      options: {},
      priceMinor,
      compareAtMinor: null,
      currency: "USD",
    })),
    version: input.version ?? 1,
    createdAt: now,
    updatedAt: now,
  };
}

export function productEvent<S extends z.ZodType>(contract: EventContract<string, S>, subjectId: string, payload: z.input<S>): Envelope {
  return buildEvent(contract, { subjectId, payload, source: "test", correlationId: subjectId }) as Envelope;
}

export const created = (p: ProductSnapshot) => productEvent(ProductCreated, p.productId, { product: p });
export const updated = (p: ProductSnapshot) => productEvent(ProductUpdated, p.productId, { product: p, changed: ["name"] });
export const deleted = (p: ProductSnapshot, version: number) =>
  productEvent(ProductDeleted, p.productId, { productId: p.productId, slug: p.slug, version });
export const stockEvent = (sku: string, available: number, version: number) =>
  productEvent(InventoryUpdated, sku, {
    sku,
    onHand: available,
    reserved: 0,
    available,
    lowStockThreshold: 5,
    reorderPoint: 3,
    reorderQuantity: 20,
    status: available > 0 ? "in_stock" : "out_of_stock",
    version,
    ledgerSeq: version,
    cause: "adjustment",
    updatedAt: new Date().toISOString(),
  });

/** Hands events to the search consumer group as one queue batch, and returns what was acknowledged. */
export async function deliver(events: Envelope[]): Promise<{ acked: number; retried: number }> {
  const batch = createMessageBatch(
    "search-events",
    events.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testBindings, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length };
}

export interface DocumentState {
  status: string;
  version: number;
  name: string;
  in_stock: boolean;
  price_min_minor: number | null;
}

export function documentOf(productId: string): Promise<DocumentState | undefined> {
  return withTestDb(async (db) => {
    const r = await db.execute<DocumentState & Record<string, unknown>>(sql`
      select status, version, name, in_stock, price_min_minor::float8 as price_min_minor from search.documents where product_id = ${productId}`);
    return r.rows[0];
  });
}

export async function search(params: Record<string, string | number | boolean>): Promise<SearchResponse> {
  const res = await api(`/api/search?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`, { token: null });
  if (res.status !== 200) throw new Error(`search answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as SearchResponse;
}
