/** The settings the pipeline family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const pipelineConfig = defineConfig(
  "pipeline",
  z.object({
    /** Pipeline: HMAC-SHA256 key that turns user ids into stable pseudonymous ids before anything reaches analytics (secret). */
    PII_HASH_KEY: z.string().min(32).optional(),
  }),
);
