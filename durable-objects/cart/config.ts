/**
 * The settings the cart family reads (vars and secrets; see wrangler.toml and
 * the README). They live with the Cart object, which enforces them; the
 * family's routes read them through the object's index.
 */
import { z } from "zod";
import { defineConfig } from "../../workers/platform/config.ts";

export const cartConfig = defineConfig(
  "cart",
  z.object({
    /** Cart: idle time after which a cart expires (CartAbandoned), its line count and the quantity of one line. */
    CART_IDLE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(7 * 24 * 3600),
    CART_MAX_LINES: z.coerce.number().int().min(1).max(500).default(50),
    CART_MAX_QUANTITY: z.coerce.number().int().min(1).max(10_000).default(99),
    /** Cart: how often one client address may set a guest cart's reminder address per hour (PUT /api/cart/contact). */
    GUEST_CART_CONTACTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Cart: signs guest cart ids in the `cart_id` cookie (secret, 32+ characters; workers/cart/guest-cart-id.ts). */
    CART_COOKIE_KEY: z.string().min(32).optional(),
  }),
);
