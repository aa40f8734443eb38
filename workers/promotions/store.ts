/**
 * The promotions family's tables. A use is taken inside the order's own
 * transaction: the conditional increment of `uses` locks the code's row, so
 * concurrent orders for a code queue on it and the last use goes to exactly
 * one of them; the per-customer count is read after that lock, so it sees
 * every committed redemption of the same customer too.
 */
import { and, count, desc, eq, inArray, sql, sum } from "drizzle-orm";
import { promotionCodes, promotionRedemptions } from "../../db/schema/promotions.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { PromotionErrors } from "./errors.ts";
import type { Promotion } from "./promotion-rules.ts";

export type CodeRow = typeof promotionCodes.$inferSelect;
export type NewCode = Omit<typeof promotionCodes.$inferInsert, "id" | "uses" | "createdAt">;

/** The codes of these texts (a cart's codes), unknown ones left out. */
export async function findPromotions(db: Queryable, codes: readonly string[]): Promise<Promotion[]> {
  if (codes.length === 0) return [];
  return db
    .select()
    .from(promotionCodes)
    .where(
      inArray(
        promotionCodes.code,
        codes.map((c) => c.trim().toUpperCase()),
      ),
    );
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
  // Counted after the code's row is locked by the update above: two orders of one customer take turns here.
  if (r.perCustomerLimit !== null) {
    if ((await customerUses(tx, r.promotionId, r.userId)) >= r.perCustomerLimit)
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

/** The uses of a code a customer holds now (orders placed and not given back): what the per-customer limit counts. */
export async function customerUses(db: Queryable, promotionId: string, userId: string): Promise<number> {
  const [mine] = await db
    .select({ n: count() })
    .from(promotionRedemptions)
    .where(
      and(eq(promotionRedemptions.codeId, promotionId), eq(promotionRedemptions.userId, userId), eq(promotionRedemptions.status, "held")),
    );
  return mine?.n ?? 0;
}

/** Gives an order's uses back (an order cancelled before it was paid); nothing when it had none or gave them back already. */
export async function releaseUse(tx: Queryable, orderId: string): Promise<boolean> {
  const released = await tx
    .update(promotionRedemptions)
    .set({ status: "released", releasedAt: new Date() })
    .where(and(eq(promotionRedemptions.orderId, orderId), eq(promotionRedemptions.status, "held")))
    .returning({ codeId: promotionRedemptions.codeId });
  if (released.length === 0) return false;
  await tx
    .update(promotionCodes)
    .set({ uses: sql`${promotionCodes.uses} - 1` })
    .where(
      inArray(
        promotionCodes.id,
        released.map((r) => r.codeId),
      ),
    );
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

export async function getCode(db: Queryable, id: string): Promise<CodeRow | null> {
  const rows = await db.select().from(promotionCodes).where(eq(promotionCodes.id, id));
  return rows[0] ?? null;
}

export type CodeChange = Partial<
  Pick<CodeRow, "startsAt" | "endsAt" | "usageLimit" | "perCustomerLimit" | "minSubtotalMinor" | "priority" | "combinable" | "active">
>;

/**
 * Changes a code's window, limits, stacking or active flag. With an expected
 * version (If-Match), a code changed since is refused (409); without one the
 * change applies to the code as read now. The write is conditional on the
 * version read, so a concurrent change is never overwritten unseen.
 */
export async function updateCode(db: Queryable, id: string, expected: number | null, change: CodeChange): Promise<CodeRow | null> {
  const current = await getCode(db, id);
  if (!current) return null;
  if (expected !== null && expected !== current.version) throw versionConflict(current.version);
  const next = { ...current, ...change };
  if (next.endsAt && next.endsAt <= next.startsAt)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The code's window would end before it starts", {
      errors: [{ field: "endsAt", message: "must be after startsAt" }],
    });
  if (next.usageLimit !== null && next.usageLimit < current.uses)
    throw new ApiError(PromotionErrors.PROMOTION_LIMIT_BELOW_USES, `The code has been used ${current.uses} time(s) already`, {
      uses: current.uses,
    });
  const rows = await db
    .update(promotionCodes)
    .set({ ...change, version: current.version + 1 })
    .where(
      and(
        eq(promotionCodes.id, id),
        eq(promotionCodes.version, current.version),
        // Uses taken since the read still count against a lowered limit.
        next.usageLimit === null ? undefined : sql`${promotionCodes.uses} <= ${next.usageLimit}`,
      ),
    )
    .returning();
  if (!rows[0]) throw versionConflict(current.version + 1);
  return rows[0];
}

const versionConflict = (version: number) =>
  new ApiError(
    PromotionErrors.PROMOTION_VERSION_CONFLICT,
    `The code changed since you read it (now at version ${version} or later); read it again and reapply your change`,
  );
