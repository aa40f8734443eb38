/** The settings the products family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const productsConfig = defineConfig(
  "products",
  z.object({
    /** Analytics: the share of product page reads announced as ProductViewed (1 = every read, 0 = none). */
    ANALYTICS_VIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  }),
);
