/**
 * The promotions family's tables. A use is taken inside the order's own
 * transaction: the conditional increment of `uses` locks the code's row, so
 * concurrent orders for a code queue on it and the last use goes to exactly
 * one of them; the per-customer count is read after that lock, so it sees
 * every committed redemption of the same customer too.
 */
import { and, count, desc, eq, sql, sum } from "drizzle-orm";
import { promotionCodes, promotionRedemptions } from "../../db/schema/promotions.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { PromotionErrors } from "./errors.ts";
import type { Promotion } from "./promotion-rules.ts";

export type CodeRow = typeof promotionCodes.$inferSelect;
export type NewCode = Omit<typeof promotionCodes.$inferInsert, "id" | "uses" | "createdAt">;

export async function findPromotion(db: Queryable, code: string): Promise<Promotion | null> {
  const rows = await db.select().from(promotionCodes).where(eq(promotionCodes.code, code.trim().toUpperCase()));
  return rows[0] ?? null;
}

export async function createCode(db: Queryable, input: NewCode): Promise<CodeRow> {
  const rows = await db
    .insert(promotionCodes)
    .values({ ...input, id: newId("prm"), code: input.code.toUpperCase() })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw new ApiError(PromotionErrors.PROMOTION_CODE_TAKEN, `The code ${input.code.toUpperCase()} exists`);
  return rows[0];
}

export const listCodes = (db: Queryable): Promise<CodeRow[]> =>
  db.select().from(promotionCodes).orderBy(desc(promotionCodes.createdAt)).limit(200);

export interface Redemption {
  promotionId: string;
  orderId: string;
  userId: string;
  perCustomerLimit: number | null;
  discountMinor: number;
  currency: string;
}

/** Takes one use of the code for the order, in the order's transaction; refuses (and so rolls the order back) when none is left. */
export async function redeem(tx: Queryable, r: Redemption): Promise<void> {
  const taken = await tx
    .update(promotionCodes)
    .set({ uses: sql`${promotionCodes.uses} + 1` })
    .where(
      and(
        eq(promotionCodes.id, r.promotionId),
        sql`(${promotionCodes.usageLimit} is null or ${promotionCodes.uses} < ${promotionCodes.usageLimit})`,
      ),
    )
    .returning({ uses: promotionCodes.uses });
  if (taken.length === 0) throw new ApiError(PromotionErrors.PROMOTION_EXHAUSTED, "The promotion code has been used up by other orders");
  if (r.perCustomerLimit !== null) {
    const [mine] = await tx
      .select({ n: count() })
      .from(promotionRedemptions)
      .where(
        and(
          eq(promotionRedemptions.codeId, r.promotionId),
          eq(promotionRedemptions.userId, r.userId),
          eq(promotionRedemptions.status, "held"),
        ),
      );
    if ((mine?.n ?? 0) >= r.perCustomerLimit)
      throw new ApiError(
        PromotionErrors.PROMOTION_CUSTOMER_LIMIT,
        `The promotion code may be used ${r.perCustomerLimit} time(s) per customer`,
      );
  }
  await tx.insert(promotionRedemptions).values({
    orderId: r.orderId,
    codeId: r.promotionId,
    userId: r.userId,
    discountMinor: r.discountMinor,
    currency: r.currency,
    status: "held",
  });
}

/** Gives an order's use back (an order cancelled before it was paid); nothing when it had none or gave it back already. */
export async function releaseUse(tx: Queryable, orderId: string): Promise<boolean> {
  const released = await tx
    .update(promotionRedemptions)
    .set({ status: "released", releasedAt: new Date() })
    .where(and(eq(promotionRedemptions.orderId, orderId), eq(promotionRedemptions.status, "held")))
    .returning({ codeId: promotionRedemptions.codeId });
  if (!released[0]) return false;
  await tx
    .update(promotionCodes)
    .set({ uses: sql`${promotionCodes.uses} - 1` })
    .where(eq(promotionCodes.id, released[0].codeId));
  return true;
}

/** A code's usage: uses in force, uses given back, customers, and the discount granted per currency. */
export async function usageOf(db: Queryable, id: string) {
  const [code, byStatus] = await Promise.all([
    db.select().from(promotionCodes).where(eq(promotionCodes.id, id)),
    db
      .select({
        status: promotionRedemptions.status,
        currency: promotionRedemptions.currency,
        orders: count(),
        customers: sql<string>`count(distinct ${promotionRedemptions.userId})`,
        discountMinor: sum(promotionRedemptions.discountMinor),
      })
      .from(promotionRedemptions)
      .where(eq(promotionRedemptions.codeId, id))
      .groupBy(promotionRedemptions.status, promotionRedemptions.currency),
  ]);
  if (!code[0]) return null;
  return {
    id,
    code: code[0].code,
    uses: code[0].uses,
    usageLimit: code[0].usageLimit,
    redemptions: byStatus.map((r) => ({
      status: r.status,
      currency: r.currency,
      orders: r.orders,
      customers: Number(r.customers),
      discountMinor: Number(r.discountMinor ?? 0),
    })),
  };
}
