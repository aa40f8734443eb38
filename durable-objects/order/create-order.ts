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
import type { MessageLocale } from "../../workers/platform/message-locales.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { eventFrom } from "../../workers/platform/scope.ts";
import { quoteSkus, type SkuQuote } from "../../workers/products/index.ts";
import { loadCodes, orderCodes, PromotionErrors, redeem, withFacts } from "../../workers/promotions/index.ts";
import { calculateTax, type TaxResult } from "../../workers/taxes/index.ts";
import { ordersConfig } from "./config.ts";
import { OrderErrors } from "./errors.ts";
import { sagaKeys } from "./saga-keys.ts";
import { insertOrder, loadOrder, nextOrderNumber, type OrderBundle, type OrderRow } from "./store.ts";
import { orderTotals, priceLines, type RequestedLine, withPromotion, withTax } from "./totals.ts";
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
  /**
   * The codes the request names (each must apply, and all must stack), with the body field they came in; null: the
   * cart's codes when the lines are the cart's (those the stacking rules set aside are left unused, as the cart showed).
   * Re-validated now, whatever the cart showed.
   */
  promotionCodes: { codes: string[]; field: string } | null;
  correlationId: string;
  /** The request's W3C traceparent (tracing on): the order's events, and its stock hold's, continue its trace. */
  traceparent?: string;
  /** A guest's order: the address it is mailed to and found by, and the guest cart (cookie) it is ordered from; `userId` is then the guest marker. */
  guest?: { email: string; cartId: string; locale: MessageLocale };
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
  const [existing, read] = await Promise.all([
    loadOrder(db, input.orderId),
    (async () => {
      const snap = cart ? await cart.snapshot() : null;
      const requested = input.lines ?? snap!.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      const codes = input.promotionCodes?.codes ?? snap?.promotionCodes ?? [];
      const skus = requested.map((l) => l.sku);
      // The codes and what their rules need of the catalogue are read beside the quotes.
      const [quotes, loaded] = await Promise.all([
        skus.length > 0 ? quoteSkus(db, skus) : new Map<string, SkuQuote>(),
        loadCodes(db, codes, skus),
      ]);
      return { requested, quotes, codes, ...loaded };
    })(),
  ]);
  if (existing) {
    if (existing.createHash !== input.requestHash || existing.userId !== input.userId)
      return { answer: errorAnswer(keyReused("an order")) };
    return { answer: existing.createAnswer as Answer };
  }
  const { requested, quotes, codes } = read;
  if (requested.length === 0)
    throw new ApiError(OrderErrors.CART_EMPTY, "The cart is empty: add items, or send the order's lines", {
      errors: [{ field: "lines", message: "no lines, and the cart is empty" }],
    });

  const priced = priceLines(requested, quotes);
  const listed = orderTotals(priced, quotes.get(priced[0]!.sku)!.price.currency, config.ORDER_SHIPPING_FEES);
  const field = input.promotionCodes?.field ?? "promotionCode";
  const promo = orderCodes(codes, read.promos, withFacts(priced, read.facts), listed.currency, new Date(), field);
  if (input.promotionCodes && promo.setAside.length > 0) refuseSetAside(promo.setAside, codes, field);
  const beforeTax = withPromotion(listed, promo);
  const tax = await calculateTax(rt, db, {
    currency: beforeTax.currency,
    destination: { country: input.address.country, region: input.address.region ?? null },
    lines: priced.map((l) => ({
      lineNo: l.lineNo,
      productId: l.productId,
      amountMinor: l.lineTotalMinor - (promo.perLine.get(l.lineNo) ?? 0),
    })),
    shippingMinor: beforeTax.shippingMinor,
  });
  // Refused here (422) when the tax takes the order over the maximum: nothing is reserved yet.
  const taxed = withTax(priced, beforeTax, tax);
  const totals = taxed.totals;
  const lines = taxed.lines.map((l) => ({ ...l, promotionDiscountMinor: promo.perLine.get(l.lineNo) ?? 0 }));

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
    guestLocale: input.guest?.locale ?? null,
    status: "pending",
    version: 1,
    currency: totals.currency,
    subtotalMinor: totals.subtotalMinor,
    discountMinor: totals.discountMinor,
    shippingMinor: totals.shippingMinor,
    taxMinor: totals.taxMinor,
    taxIncluded: tax.pricesIncludeTax,
    taxDetail: taxDetailOf(tax),
    // Stacked codes are kept together, joined by "+", in the order they applied.
    promotionCode: promo.applied.length > 0 ? promo.applied.map((a) => a.code).join("+") : null,
    promotionDiscountMinor: promo.discountMinor + (listed.shippingMinor - beforeTax.shippingMinor),
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
        // Each code's use is taken under its row's lock: when the last one went to another order, this order is rolled back.
        // Codes are locked in id order, so two orders with the same codes never wait on each other crosswise.
        const waived = listed.shippingMinor - beforeTax.shippingMinor;
        const shippingCode = promo.applied.find((a) => a.freeShipping)?.promotionId;
        for (const p of [...promo.chosen].sort((a, b) => (a.id < b.id ? -1 : 1))) {
          const a = promo.applied.find((x) => x.promotionId === p.id)!;
          await redeem(tx, {
            promotionId: p.id,
            orderId: input.orderId,
            userId: input.userId,
            perCustomerLimit: p.perCustomerLimit,
            discountMinor: a.discountMinor + (p.id === shippingCode ? waived : 0),
            currency: totals.currency,
          });
        }
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
  if (cart) await clearOrderedLines(cart, lines, input, input.promotionCodes ? [] : codes);
  return { answer, created: bundle };
}

/** The cart no longer holds what was ordered (one call for all the lines). Best effort: the order stands either way. */
async function clearOrderedLines(
  cart: ReturnType<typeof userCart>,
  lines: { sku: string }[],
  input: CreateOrderInput,
  usedCodes: string[],
): Promise<void> {
  // A guest cart is its cookie's, not an account's: it is changed as the guest changes it.
  const caller = input.guest
    ? { userId: null, actor: null, correlationId: input.correlationId }
    : { userId: input.userId, actor: { type: "user" as const, id: input.userId }, correlationId: input.correlationId };
  try {
    // The cart's codes went into the order with its lines.
    await cart.removeLines({ skus: lines.map((l) => l.sku), caller, promotionCodes: usedCodes });
  } catch (err) {
    log.warn("orders.cart_not_cleared", { orderId: input.orderId, skus: lines.map((l) => l.sku), ...errorFields(err) });
  }
}

/** Codes the order names explicitly all apply or the order is refused: a shopper is never charged other than the codes sent say. */
function refuseSetAside(setAside: { code: string; reason: string }[], codes: string[], field: string): never {
  throw new ApiError(
    PromotionErrors.PROMOTION_NOT_APPLICABLE,
    `These promotion codes cannot be used together: ${setAside.map((s) => s.reason).join("; ")}`,
    {
      errors: setAside.map((s) => ({
        field: field === "promotionCodes" ? `promotionCodes[${codes.indexOf(s.code)}]` : field,
        message: s.reason,
      })),
    },
  );
}

/** What the order keeps of how its tax was found (null: the destination is not taxed). */
function taxDetailOf(tax: TaxResult): OrderRow["taxDetail"] {
  if (tax.regionCode === null) return null;
  return { regionCode: tax.regionCode, provider: tax.provider, rounding: tax.rounding, shipping: tax.shipping, rates: tax.rates };
}
