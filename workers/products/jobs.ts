/** The catalog's scheduled work. */
import type { Job } from "../platform/job.ts";
import { pruneCacheRegister } from "./edge-cache.ts";

/**
 * Purges drop expired registrations as they go; this catches the rest when
 * the catalog has not changed for a while, so the register stays the size
 * of what is actually cached.
 */
export const catalogCachePrune: Job = {
  name: "catalog-cache-prune",
  description: "Forget edge-cache registrations whose cached copies have expired",
  crons: ["17 3 * * *"],
  timeoutMs: 60_000,
  announceSuccess: false,
  async run({ db }) {
    return { forgotten: await pruneCacheRegister(db) };
  },
};
