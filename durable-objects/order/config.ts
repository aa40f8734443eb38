/**
 * The settings the orders family reads (vars and secrets; see wrangler.toml
 * and the README). They live with the OrderSaga object, which places orders
 * and runs the saga under them; the family lists them through the object's index.
 */
import { z } from "zod";
import { defineConfig, jsonVar } from "../../workers/platform/config.ts";

export const ordersConfig = defineConfig(
  "orders",
  z.object({
    /** Orders: how long a pending order holds its stock before it is cancelled as expired. */
    ORDER_HOLD_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(24 * 3600)
      .default(15 * 60),
    /** Orders: shipping fee per currency, free from a subtotal (after discounts): JSON object of currency to { feeMinor, freeFromMinor }. */
    ORDER_SHIPPING_FEES: jsonVar(
      z.record(
        z.string().regex(/^[A-Z]{3}$/),
        z.object({ feeMinor: z.number().int().min(0), freeFromMinor: z.number().int().min(0).nullable() }),
      ),
      "a JSON object of currency to { feeMinor, freeFromMinor }",
    ).default({
      USD: { feeMinor: 499, freeFromMinor: 5000 },
      EUR: { feeMinor: 499, freeFromMinor: 5000 },
      GBP: { feeMinor: 399, freeFromMinor: 4000 },
    }),
    /** Orders: how long an order waits for the provider to settle its payment before it is cancelled. */
    ORDER_PAYMENT_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .default(30 * 60),
    /** Orders: the checkout saga's retries of a step whose dependency is unavailable (first delay, doubling; then it compensates). */
    ORDER_SAGA_RETRY_BASE_MS: z.coerce.number().int().min(0).default(2_000),
    ORDER_SAGA_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
    /** Guest orders (secret, 32+ characters): the HMAC key of the order links mailed to guests; outside production a missing key is replaced per isolate. */
    ORDER_GUEST_LINK_KEY: z.string().min(32).optional(),
    /** Guest orders: how many days a mailed order link works. */
    ORDER_GUEST_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(90),
    /** Guest orders placed per client address per hour (each reserves stock and sends mail, like a sign-up). */
    GUEST_ORDERS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(10),
    /** Order lookups by number and email per client address per hour (each is a guess at a pair). */
    ORDER_LOOKUPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  }),
);
