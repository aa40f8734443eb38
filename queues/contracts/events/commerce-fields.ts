/** Payload fields the order, payment and delivery contracts share. */
import { z } from "zod";

/** An amount in minor units (cents); its currency travels beside it. */
export const minor = z.number().int().nonnegative();
export const currency = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code");
/** The number customers see and quote (e.g. `EC-2026-000123`), unlike the opaque order id. */
export const orderNumber = z.string().min(1).max(40);
