/** The settings the notifications family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig, jsonVar } from "../platform/config.ts";
import { providersConfigSchema } from "./providers/config-schema.ts";

export const notificationsConfig = defineConfig(
  "notifications",
  z.object({
    /** Cart reminders: at most one per user within this many hours (cart-reminders.ts). */
    CART_REMINDER_CAP_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
    /** Cart reminders: how long the link that restores the cart works. */
    CART_REMINDER_LINK_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(7 * 24),
    /** Per channel, the providers with their credentials, primary first (JSON, secret); unset channels use the capture provider. */
    NOTIFICATION_PROVIDERS: jsonVar(providersConfigSchema, "a JSON object of channel to provider list").optional(),
  }),
);
