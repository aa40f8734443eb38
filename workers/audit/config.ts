/** The settings the audit family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const auditConfig = defineConfig(
  "audit",
  z.object({
    /** HMAC key that signs audit checkpoints (secret). */
    AUDIT_CHECKPOINT_KEY: z.string().min(32).optional(),
    /** Audit retention in days per event type, with a `default`: JSON. */
    AUDIT_RETENTION_DAYS: z
      .string()
      .default('{"default":3650}')
      .transform((s, ctx) => {
        try {
          return z.record(z.string(), z.number().int().positive()).parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: "custom", message: "must be a JSON object of event type to days" });
          return z.NEVER;
        }
      }),
  }),
);
