/** Waiting for the stock projection, which follows the inventory objects' events through a queue. */
import { getStockLevels } from "../../workers/inventory/index.ts";
import { withTestDb } from "./db.ts";
import { eventually } from "./http.ts";

/** Resolves once the projection shows `available` units of every SKU. */
export async function untilProjected(skus: string[], available: number): Promise<void> {
  await eventually(
    async () => {
      const levels = await withTestDb((db) => getStockLevels(db, skus));
      return skus.every((s) => levels.get(s)?.available === available) ? true : undefined;
    },
    15_000,
    `the stock projection to show ${available} of ${skus.join(", ")}`,
  );
}
