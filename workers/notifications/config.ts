/** The settings the notifications family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig, jsonVar } from "../platform/config.ts";
import { providersConfigSchema } from "./providers/config-schema.ts";

export const notificationsConfig = defineConfig(
  "notifications",
  z.object({
    /** Per channel, the providers with their credentials, primary first (JSON, secret); unset channels use the capture provider. */
    NOTIFICATION_PROVIDERS: jsonVar(providersConfigSchema, "a JSON object of channel to provider list").optional(),
  }),
);
