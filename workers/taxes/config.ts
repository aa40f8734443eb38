/** The settings the taxes family reads (see wrangler.toml and docs/checkout.md). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const taxesConfig = defineConfig(
  "taxes",
  z.object({
    /** Taxes: which calculator prices an order's tax: "table" (the tax regions kept here) or "sandbox" (a stand-in for an external service). */
    TAX_PROVIDER: z.enum(["table", "sandbox"]).default("table"),
    /** Taxes: the sandbox calculator's one rate, in basis points, added on top of every price and the shipping. */
    TAX_SANDBOX_RATE_BP: z.coerce.number().int().min(0).max(10_000).default(1_000),
    /** Taxes: how old the isolate's copy of the tax regions may get before it is read again, in seconds (0: every time; a change through the API clears this isolate's copy at once). */
    TAX_REGIONS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  }),
);
