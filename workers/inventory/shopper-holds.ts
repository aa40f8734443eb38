/**
 * What a shopper may hold through the public reservation routes. A hold takes
 * stock away from everyone else, so a customer's holds are small and short:
 * a few units of a SKU, a few lines, minutes not hours, and a bounded number
 * of new holds in a window. Long and large holds are for the checkout (which
 * reserves through the service, not these routes) and for staff.
 */

import { hasRole } from "../platform/auth.ts";
import type { Principal } from "../platform/context.ts";
import type { Line } from "./service.ts";

export const SHOPPER_HOLDS = {
  /** Units of one SKU in one hold. */
  maxQuantityPerSku: 10,
  /** SKUs in one hold. */
  maxLines: 10,
  /** How long one hold lasts, and how far an extension may reach past the hold's start. */
  maxHoldSeconds: 15 * 60,
  maxTotalSeconds: 30 * 60,
  /** New holds and extensions per shopper in a window (LoginThrottle, the domain throttle). */
  perWindow: { limit: 10, windowMs: 10 * 60_000 },
} as const;

/** Staff and services hold without these limits; customers (and any other user) within them. */
export const isShopper = (p: Principal) => p.kind === "user" && !hasRole(p, "support", "admin");

export interface LimitProblem {
  field: string;
  message: string;
}

/** Why a shopper may not hold these lines for this long, field by field; empty when they may. */
export function shopperHoldProblems(lines: readonly Line[], ttlSeconds: number | undefined): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  if (bySku.size > SHOPPER_HOLDS.maxLines) problems.push({ field: "lines", message: `at most ${SHOPPER_HOLDS.maxLines} SKUs per hold` });
  for (const [sku, quantity] of bySku)
    if (quantity > SHOPPER_HOLDS.maxQuantityPerSku)
      problems.push({ field: "lines", message: `at most ${SHOPPER_HOLDS.maxQuantityPerSku} units of ${sku} per hold` });
  if (ttlSeconds !== undefined && ttlSeconds > SHOPPER_HOLDS.maxHoldSeconds)
    problems.push({ field: "ttlSeconds", message: `at most ${SHOPPER_HOLDS.maxHoldSeconds} seconds` });
  return problems;
}

/** Why a shopper may not extend a hold that began at `createdAt` by `ttlSeconds` from `now`; null when they may. */
export function shopperExtendProblem(createdAt: Date, ttlSeconds: number, now: Date): LimitProblem | null {
  if (ttlSeconds > SHOPPER_HOLDS.maxHoldSeconds) return { field: "ttlSeconds", message: `at most ${SHOPPER_HOLDS.maxHoldSeconds} seconds` };
  const reach = now.getTime() + ttlSeconds * 1000 - createdAt.getTime();
  if (reach > SHOPPER_HOLDS.maxTotalSeconds * 1000)
    return {
      field: "ttlSeconds",
      message: `a hold lasts at most ${SHOPPER_HOLDS.maxTotalSeconds} seconds from its start; check out to keep it`,
    };
  return null;
}
