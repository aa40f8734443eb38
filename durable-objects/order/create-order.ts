/**
 * Placing an order, run by the order's object (so repeats of one
 * Idempotency-Key queue up behind the first): the lines (given, or the
 * caller's cart), priced by the catalogue now, reserved all or nothing, then
 * the order, its first timeline entry, the reservation step and OrderCreated
 * in one transaction. A refusal stores nothing; a repeat with the same body
 * replays the first answer, one with another body is a 422. Its event goes
 * out the way the object publishes all of its own: relayed after the commit
 * (`afterCommit`).
 */
import { OrderCreated } from "../../queues/contracts/events/order.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { guestCart, userCart } from "../../workers/cart/index.ts";
import type { ShippingAddress } from "../../workers/delivery/index.ts";
import { InventoryErrors, releaseReservation, reserveStock } from "../../workers/inventory/index.ts";
import type { Database } from "../../workers/platform/db.ts";
import { ApiError, ErrorCode } from "../../workers/platform/errors.ts";
import { failIfInjected } from "../../workers/platform/faults.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { eventFrom } from "../../workers/platform/scope.ts";
import { quoteSkus, type SkuQuote } from "../../workers/products/index.ts";
import {
  type AppliedPromotion,
  applyPromotion,
  findPromotion,
  type Promotion,
  PromotionErrors,
  redeem,
  refusal,
} from "../../workers/promotions/index.ts";
import { calculateTax, type TaxResult } from "../../workers/taxes/index.ts";
import { ordersConfig } from "./config.ts";
import { OrderErrors } from "./errors.ts";
import { sagaKeys } from "./saga-keys.ts";
import { insertOrder, loadOrder, nextOrderNumber, type OrderBundle, type OrderRow } from "./store.ts";
import { orderTotals, type PricedLine, priceLines, type RequestedLine, withPromotion, withTax } from "./totals.ts";
import { type Answer, baseView, errorAnswer } from "./view.ts";

export interface CreateOrderInput {
  orderId: string;
  userId: string;
  idempotencyKey: string | null;
  requestHash: string;
  address: ShippingAddress;
  /** Null: the caller's cart. */
  lines: RequestedLine[] | null;
  notes: string | null;
  /** A promotion code to apply (re-validated now, whatever the cart showed). */
  promotionCode: string | null;
  correlationId: string;
  /** A guest's order: the address it is mailed to and found by, and the guest cart (cookie) it is ordered from; `userId` is then the guest marker. */
  guest?: { email: string; cartId: string };
}

export const keyReused = (what: string) =>
  new ApiError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    `This Idempotency-Key was already used for ${what} with a different request; use a new key`,
  );

export async function createOrder(
  rt: Runtime,
  db: Database,
  input: CreateOrderInput,
  afterCommit: (eventIds: string[]) => void,
): Promise<{ answer: Answer; created?: OrderBundle }> {
  const config = ordersConfig.read(rt);
  const cart = input.lines === null ? (input.guest ? guestCart(rt, input.guest.cartId) : userCart(rt, input.userId)) : null;
  // A repeat is rare: look for it while the lines are read and priced (one round trip, not two or three).
  const [existing, read, promotion] = await Promise.all([
    loadOrder(db, input.orderId),
    (async () => {
      const requested = input.lines ?? (await cart!.snapshot()).lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      const quotes =
        requested.length > 0
          ? await quoteSkus(
              db,
              requested.map((l) => l.sku),
            )
          : new Map<string, SkuQuote>();
      return { requested, quotes };
    })(),
    input.promotionCode ? findPromotion(db, input.promotionCode) : null,
  ]);
  if (existing) {
    if (existing.createHash !== input.requestHash || existing.userId !== input.userId)
      return { answer: errorAnswer(keyReused("an order")) };
    return { answer: existing.createAnswer as Answer };
  }
  const { requested, quotes } = read;
  if (requested.length === 0)
    throw new ApiError(OrderErrors.CART_EMPTY, "The cart is empty: add items, or send the order's lines", {
      errors: [{ field: "lines", message: "no lines, and the cart is empty" }],
    });

  const priced = priceLines(requested, quotes);
  const listed = orderTotals(priced, quotes.get(priced[0]!.sku)!.price.currency, config.ORDER_SHIPPING_FEES);
  const applied = input.promotionCode ? promotionFor(input.promotionCode, promotion, priced, listed.currency) : null;
  const beforeTax = applied ? withPromotion(listed, applied) : listed;
  const tax = await calculateTax(rt, db, {
    currency: beforeTax.currency,
    destination: { country: input.address.country, region: input.address.region ?? null },
    lines: priced.map((l) => ({
      lineNo: l.lineNo,
      productId: l.productId,
      amountMinor: l.lineTotalMinor - (applied?.perLine.get(l.lineNo) ?? 0),
    })),
    shippingMinor: beforeTax.shippingMinor,
  });
  // Refused here (422) when the tax takes the order over the maximum: nothing is reserved yet.
  const { lines, totals } = withTax(priced, beforeTax, tax);

  const keys = sagaKeys(input.orderId);
  const owner = { type: "user" as const, id: input.userId };
  let reservation: Awaited<ReturnType<typeof reserveStock>>["reservation"];
  const now = new Date();
  // The number is taken while the stock is reserved; a refused reservation leaves a gap, as any sequence may.
  const numbering = nextOrderNumber(db, now);
  numbering.catch(() => undefined);
  try {
    reservation = (
      await reserveStock(rt, {
        reservationId: keys.reservationId,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        ttlSeconds: config.ORDER_HOLD_SECONDS,
        owner,
        correlationId: input.correlationId,
      })
    ).reservation;
  } catch (err) {
    // The same key with other lines (the cart changed since a refused attempt): not a repeat.
    if (err instanceof ApiError && err.code === InventoryErrors.IDEMPOTENCY_MISMATCH.code) throw keyReused("an order of other lines");
    throw err;
  }
  if (reservation.status !== "held") {
    // An earlier attempt with this key took the stock and its hold has since ended: the key cannot place the order any more.
    throw new ApiError(
      OrderErrors.ORDER_HOLD_LAPSED,
      `An earlier attempt with this Idempotency-Key reserved the stock and the hold is ${reservation.status}; place the order with a new key`,
    );
  }
  // A crash here leaves a hold with no order: it lapses at its expiry, or a repeat of the key takes it over.
  await failIfInjected(rt, db, "order.create.after_reserve", input.orderId);

  const number = await numbering;
  const order: OrderRow = {
    id: input.orderId,
    number,
    userId: input.userId,
    guestEmail: input.guest?.email ?? null,
    status: "pending",
    version: 1,
    currency: totals.currency,
    subtotalMinor: totals.subtotalMinor,
    discountMinor: totals.discountMinor,
    shippingMinor: totals.shippingMinor,
    taxMinor: totals.taxMinor,
    taxIncluded: tax.pricesIncludeTax,
    taxDetail: taxDetailOf(tax),
    promotionCode: applied?.code ?? null,
    promotionDiscountMinor: applied ? applied.discountMinor + (listed.shippingMinor - beforeTax.shippingMinor) : 0,
    totalMinor: totals.totalMinor,
    itemCount: totals.itemCount,
    shippingAddress: input.address,
    notes: input.notes,
    reservationId: keys.reservationId,
    holdExpiresAt: new Date(reservation.expiresAt),
    createKey: input.idempotencyKey,
    createHash: input.requestHash,
    createAnswer: null,
    confirmKey: null,
    paymentMethodId: null,
    confirmAnswer: null,
    paymentId: null,
    shipmentId: null,
    retries: 0,
    retryAt: null,
    paymentDeadline: null,
    cancelReason: null,
    refundMinor: null,
    createdAt: now,
    updatedAt: now,
  };
  const bundle: OrderBundle = {
    order,
    lines: lines.map((l) => ({ ...l, orderId: input.orderId })),
    timeline: [{ seq: 0, orderId: input.orderId, status: "pending", note: "order placed, stock reserved", actor: input.userId, at: now }],
    log: { reserved: { step: "reserved", state: "done", attempts: 1, result: { reservationId: keys.reservationId }, error: null } },
  };
  const answer: Answer = { status: 201, order: baseView(bundle) };
  try {
    await transactionWithEvents(
      db,
      async (tx, events) => {
        await insertOrder(tx, { ...order, createAnswer: answer }, lines, keys.reservationId, input.userId);
        // The code's use is taken under its row's lock: when the last one went to another order, this order is rolled back.
        if (applied)
          await redeem(tx, {
            promotionId: applied.promotionId,
            orderId: input.orderId,
            userId: input.userId,
            perCustomerLimit: promotion!.perCustomerLimit,
            discountMinor: order.promotionDiscountMinor,
            currency: totals.currency,
          });
        await events.emit(
          OrderCreated,
          eventFrom({ correlationId: input.correlationId, actor: owner }, "orders", input.orderId, {
            orderId: input.orderId,
            orderNumber: number,
            userId: input.userId,
            lines: lines.map((l) => ({
              sku: l.sku,
              productId: l.productId,
              name: l.name,
              quantity: l.quantity,
              unitPriceMinor: l.unitPriceMinor,
            })),
            subtotalMinor: totals.subtotalMinor,
            discountMinor: totals.discountMinor,
            shippingMinor: totals.shippingMinor,
            taxMinor: totals.taxMinor,
            totalMinor: totals.totalMinor,
            currency: totals.currency,
            shippingCountry: input.address.country,
          }),
        );
      },
      afterCommit,
    );
  } catch (err) {
    // No order: give the stock back now rather than at the hold's expiry.
    await releaseReservation(rt, keys.reservationId, owner, "order not stored").catch((e: unknown) =>
      log.warn("orders.release_after_failed_create", { orderId: input.orderId, ...errorFields(e) }),
    );
    throw err;
  }
  if (cart) await clearOrderedLines(cart, lines, input);
  return { answer, created: bundle };
}

/** The cart no longer holds what was ordered (one call for all the lines). Best effort: the order stands either way. */
async function clearOrderedLines(cart: ReturnType<typeof userCart>, lines: { sku: string }[], input: CreateOrderInput): Promise<void> {
  // A guest cart is its cookie's, not an account's: it is changed as the guest changes it.
  const caller = input.guest
    ? { userId: null, actor: null, correlationId: input.correlationId }
    : { userId: input.userId, actor: { type: "user" as const, id: input.userId }, correlationId: input.correlationId };
  try {
    await cart.removeLines({ skus: lines.map((l) => l.sku), caller });
  } catch (err) {
    log.warn("orders.cart_not_cleared", { orderId: input.orderId, skus: lines.map((l) => l.sku), ...errorFields(err) });
  }
}

/** What the order keeps of how its tax was found (null: the destination is not taxed). */
function taxDetailOf(tax: TaxResult): OrderRow["taxDetail"] {
  if (tax.regionCode === null) return null;
  return { regionCode: tax.regionCode, provider: tax.provider, rounding: tax.rounding, shipping: tax.shipping, rates: tax.rates };
}

/** The code's effect on these lines, or a 422 saying why it does not apply. */
function promotionFor(code: string, promotion: Promotion | null, lines: PricedLine[], currency: string): AppliedPromotion {
  // Used up is the answer an order racing for the last use gets too (409), whether it learns it here or in its transaction.
  if (promotion && promotion.usageLimit !== null && promotion.uses >= promotion.usageLimit)
    throw new ApiError(PromotionErrors.PROMOTION_EXHAUSTED, "The promotion code has been used up by other orders");
  const why = promotion ? refusal(promotion, lines, currency, new Date()) : "no such code";
  if (why !== null || !promotion)
    throw new ApiError(PromotionErrors.PROMOTION_NOT_APPLICABLE, `The promotion code ${code.toUpperCase()} does not apply: ${why}`, {
      errors: [{ field: "promotionCode", message: why ?? "no such code" }],
    });
  return applyPromotion(promotion, lines);
}
