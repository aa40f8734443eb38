/** The search family's settings: how long an answer is served from the edge cache (edge-cache.ts). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const searchConfig = defineConfig(
  "search",
  z.object({
    /** Seconds a cached search or suggestion answer is served as it is; 0 turns the cache off. */
    SEARCH_EDGE_FRESH_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** Seconds after that it is still served while one background render replaces it. */
    SEARCH_EDGE_STALE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  }),
);
