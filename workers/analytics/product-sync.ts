/**
 * Fills the product dimension from the catalogue's snapshots (through the
 * products family's loader), for products no event has described: a catalogue
 * loaded straight into Postgres (the demo data), or history from before the
 * pipeline ran. The same scrubbing and the same version guard as the events
 * apply, so a sync never overwrites a newer snapshot an event brought.
 */

import { composeStatement, piiKeyOf, pseudonymizer, scrubPayload } from "../pipeline/index.ts";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { loadProductSnapshots } from "../products/index.ts";
import { productDimension } from "./facts/catalog.ts";

const PAGE = 250;

export async function syncProductDimension(db: Database, rt: Pick<Runtime, "vars">): Promise<{ products: number; pages: number }> {
  const pz = pseudonymizer(piiKeyOf(rt));
  let afterId: string | null = null;
  const result = { products: 0, pages: 0 };
  do {
    const page = await loadProductSnapshots(db, { afterId, limit: PAGE });
    for (const product of page.items) {
      const { payload } = await scrubPayload("ProductCreated", { product }, pz);
      await db.execute(composeStatement(productDimension(payload.product)));
    }
    result.products += page.items.length;
    result.pages++;
    afterId = page.nextAfterId;
  } while (afterId);
  return result;
}

export const analyticsProductSync: Job = {
  name: "analytics-product-sync",
  description: "Fill the analytics product dimension from the catalogue, for products no event has described",
  crons: ["17 3 * * *"],
  timeoutMs: 10 * 60_000,
  announceSuccess: true,
  run: ({ db, rt }) => syncProductDimension(db, rt),
};
