/** The settings the delivery family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig, jsonVar } from "../platform/config.ts";

export const deliveryConfig = defineConfig(
  "delivery",
  z.object({
    /** Delivery: per carrier, its webhook signing secrets (JSON object of carrier to secrets, secret); several during a rotation, each accepted. */
    CARRIER_WEBHOOK_SECRETS: jsonVar(
      z.record(z.string(), z.array(z.string().min(16)).min(1)),
      "a JSON object of carrier name to a list of secrets",
    ).default({}),
    /** Delivery: days after delivery during which a customer may start a return. */
    RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  }),
);
