/**
 * The tax regions kept in the isolate. Every priced cart, guest checkout and
 * order needs its destination's rules, and they change a few times a year:
 * reading the whole (small) table once per isolate and period saves a
 * statement on each of those requests.
 *
 * Invalidation is by generation: a change made through this isolate's API
 * bumps it and drops the copy at once, and a load that began before a bump
 * is not kept (it may hold the old rules). Other isolates take the change
 * when their copy is `TAX_REGIONS_CACHE_SECONDS` old (60 by default; 0
 * reads the table every time), which bounds how long a new rate can go
 * unused after it is saved.
 */
import type { Queryable } from "../platform/db.ts";
import { listRegions, type RegionRow } from "./store.ts";

interface Copy {
  readonly loadedAt: number;
  readonly byCode: ReadonlyMap<string, RegionRow>;
}

let copy: Copy | null = null;
let generation = 0;

/** Forgets the copy: called after every write to the regions, before its answer. */
export function regionsChanged(): void {
  generation += 1;
  copy = null;
}

/** Every region by its code, from the isolate's copy while it is younger than `maxAgeMs`. */
export async function regionsByCode(db: Queryable, maxAgeMs: number, now = Date.now()): Promise<ReadonlyMap<string, RegionRow>> {
  if (copy && maxAgeMs > 0 && now - copy.loadedAt < maxAgeMs) return copy.byCode;
  const startedAt = generation;
  const byCode = new Map((await listRegions(db)).map((r) => [r.code, r]));
  if (startedAt === generation && maxAgeMs > 0) copy = { loadedAt: now, byCode };
  return byCode;
}
