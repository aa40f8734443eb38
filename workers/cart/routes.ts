/**
 * /api/cart: the caller's cart. A signed-in user (bearer access token) has
 * one cart; anyone else gets a guest cart, named by the `cart_id` cookie set
 * on the first write. A request with both merges the guest cart into the
 * user's. Every answer is the whole cart, priced now by the catalogue.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { CartSnapshot } from "../../durable-objects/cart/index.ts";
import { CartRecovered } from "../../queues/contracts/events/cart.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { eventFrom, scopeOf } from "../platform/scope.ts";
import { quoteSkus } from "../products/index.ts";
import { MAX_CODES_PER_CART } from "../promotions/index.ts";
import { contactRoutes } from "./contact-routes.ts";
import { CartErrors } from "./errors.ts";
import { restoreForGuest } from "./guest-restore.ts";
import { checkCodeForCart } from "./promotions.ts";
import { isGuestGrant, readRestoreToken } from "./restore-token.ts";
import {
  AddItemBody,
  ApplyCodeBody,
  CartSchema,
  CartTaxQuery,
  CartTaxSchema,
  CodeParam,
  RestoreBody,
  SkuParam,
  UpdateItemBody,
} from "./schemas.ts";
import { type KnownFacts, linePrice, presentCart, readCart, sellableQuote, unwrap } from "./service.ts";
import { type CartSession, cartSession, keepGuestCookie } from "./session.ts";
import { estimateCartTax } from "./tax-estimate.ts";

const tags = ["Cart"];
// The bearer token is optional: without one the cart is the guest cart of the cookie.
const security: Record<string, string[]>[] = [{ bearer: [] }, {}];
const cartResponse = (description: string) => ({ 200: jsonContent(CartSchema, description) });
const description =
  "Without a bearer token this is the guest cart of the `cart_id` cookie (set on the first write). With a user token and a guest cookie, the guest cart is first merged into the user's (quantities added, capped by the limits and availability; `merged` lists what could not be taken in full) and the cookie cleared.";

const getRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  security,
  summary: "The caller's cart, with current prices",
  description,
  responses: { ...cartResponse("The cart"), ...pick(403) },
});

const taxRoute = createRoute({
  method: "get",
  path: "/tax",
  tags,
  security,
  summary: "The tax the cart would pay at a destination (country, and a state where it has its own rates)",
  description: `${description} The estimate uses the tax provider checkout uses, on each line after the cart's promotion codes; shipping and its tax are added at checkout, which computes the tax again from the order.`,
  request: { query: CartTaxQuery },
  responses: { 200: jsonContent(CartTaxSchema, "The estimate"), ...pick(403, 422) },
});

const addRoute = createRoute({
  method: "post",
  path: "/items",
  tags,
  security,
  summary: "Add units of a SKU (a new line or more of one)",
  description: `${description} Refused with 409 INSUFFICIENT_STOCK (with \`available\`) beyond what is in stock, CART_QUANTITY_LIMIT or CART_LINE_LIMIT beyond the limits, SKU_NOT_SELLABLE for a product not for sale; 422 UNKNOWN_SKU.`,
  request: { body: { required: true, content: { "application/json": { schema: AddItemBody } } } },
  responses: { ...cartResponse("The cart after the add"), ...pick(403, 409, 422) },
});

const updateRoute = createRoute({
  method: "put",
  path: "/items/{sku}",
  tags,
  security,
  summary: "Set a line's quantity (0 removes it)",
  description: "Raising a quantity is checked against availability and the limits; lowering it always works.",
  request: { params: SkuParam, body: { required: true, content: { "application/json": { schema: UpdateItemBody } } } },
  responses: { ...cartResponse("The cart after the change"), ...pick(403, 404, 409, 422) },
});

const removeRoute = createRoute({
  method: "delete",
  path: "/items/{sku}",
  tags,
  security,
  summary: "Remove a line",
  request: { params: SkuParam },
  responses: { ...cartResponse("The cart without the line"), ...pick(403, 404, 422) },
});

const clearRoute = createRoute({
  method: "delete",
  path: "/",
  tags,
  security,
  summary: "Empty the cart",
  responses: { ...cartResponse("The empty cart"), ...pick(403) },
});

const restoreRoute = createRoute({
  method: "post",
  path: "/restore",
  tags,
  security,
  summary: "Put an abandoned cart's lines back (the link of a cart reminder)",
  description:
    "Takes the signed token of a cart reminder's link and merges its lines into the signed-in user's cart (quantities added, capped by the limits and availability; `merged` lists what could not be taken in full). Idempotent per abandoned cart: the cart records the restore, so a second restore adds nothing. 401 without a user token; 404 RESTORE_TOKEN_NOT_FOUND when the token was made for another user; 422 RESTORE_TOKEN_INVALID for a tampered or malformed token and RESTORE_TOKEN_EXPIRED after its expiry, changing nothing. A guest's reminder (sent to the address a guest left with PUT /api/cart/contact) is restored without a token into a guest cart of its own, whose signed `cart_id` cookie the answer sets; it works once: used again from a client without that cart's cookie it is 409 RESTORE_TOKEN_USED, and with a bearer token it is 404.",
  request: { body: { required: true, content: { "application/json": { schema: RestoreBody } } } },
  responses: { ...cartResponse("The cart with the lines restored"), ...pick(401, 403, 404, 409, 422) },
});

const applyCodeRoute = createRoute({
  method: "post",
  path: "/promotions",
  tags,
  security,
  summary: "Apply a promotion code to the cart",
  description: `${description} The code is checked against the cart now with the rules checkout uses: 422 PROMOTION_NOT_APPLICABLE (unknown, inactive, outside its window, below its minimum, nothing eligible, another currency, or an empty cart), 409 PROMOTION_EXHAUSTED when used up, 409 PROMOTION_CUSTOMER_LIMIT when the signed-in customer has used it as often as its per-customer limit allows (orders placed and not cancelled; checkout counts again, under the code's lock), 409 PROMOTION_CODE_LIMIT beyond ${MAX_CODES_PER_CART} codes. Applying a code the cart has changes nothing. The cart answer lists each code with its discount now, or why it stopped applying; checkout uses the cart's codes when the order names none, and checks them again then.`,
  request: { body: { required: true, content: { "application/json": { schema: ApplyCodeBody } } } },
  responses: { ...cartResponse("The cart with the code"), ...pick(403, 409, 422) },
});

const removeCodeRoute = createRoute({
  method: "delete",
  path: "/promotions/{code}",
  tags,
  security,
  summary: "Remove a promotion code from the cart",
  description: "404 PROMOTION_NOT_ON_CART when the cart does not hold the code.",
  request: { params: CodeParam },
  responses: { ...cartResponse("The cart without the code"), ...pick(403, 404, 422) },
});

async function answer(c: AppContext, session: CartSession, snap: CartSnapshot, known?: KnownFacts) {
  return c.json(await presentCart(c.env, dbOf(c), new URL(c.req.url).origin, session.owner, snap, session.merged, known), 200);
}

function noLine(sku: string): ApiError {
  return new ApiError(CartErrors.LINE_NOT_FOUND, `The cart has no line for ${sku}`, { sku });
}

export const cartRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// A cart is one shopper's: never cached anywhere.
cartRoutes.use(
  "*",
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  }),
);
cartRoutes.route("/", contactRoutes);

cartRoutes
  .openapi(getRoute, async (c) => {
    const session = await cartSession(c, { create: false });
    return answer(c, session, await readCart(session));
  })
  .openapi(taxRoute, async (c) => {
    const { country, region } = c.req.valid("query");
    const session = await cartSession(c, { create: false });
    const snap = await readCart(session);
    return c.json(await estimateCartTax(c.env, dbOf(c), new URL(c.req.url).origin, snap, { country, region: region ?? null }), 200);
  })
  .openapi(addRoute, async (c) => {
    const { sku, quantity } = c.req.valid("json");
    const session = await cartSession(c, { create: true });
    const { quote, lastKnown } = await sellableQuote(c.env, dbOf(c), new URL(c.req.url).origin, sku);
    const { snap, available } = unwrap(await session.stub!.add({ sku, quantity, price: linePrice(quote), caller: session.caller }));
    await keepGuestCookie(c, session);
    return answer(c, session, snap, { quotes: new Map([[sku, quote]]), available, lastKnown });
  })
  .openapi(updateRoute, async (c) => {
    const { sku } = c.req.valid("param");
    const { quantity } = c.req.valid("json");
    const session = await cartSession(c, { create: false });
    if (!session.stub) throw noLine(sku);
    // Setting 0 removes the line and needs no price; any other quantity re-prices the line from the catalogue.
    if (quantity === 0) {
      const { snap } = unwrap(await session.stub.remove({ sku, caller: session.caller }));
      await keepGuestCookie(c, session);
      return answer(c, session, snap);
    }
    const { quote, lastKnown } = await sellableQuote(c.env, dbOf(c), new URL(c.req.url).origin, sku);
    const { snap, available } = unwrap(await session.stub.update({ sku, quantity, price: linePrice(quote), caller: session.caller }));
    await keepGuestCookie(c, session);
    return answer(c, session, snap, { quotes: new Map([[sku, quote]]), available, lastKnown });
  })
  .openapi(removeRoute, async (c) => {
    const { sku } = c.req.valid("param");
    const session = await cartSession(c, { create: false });
    if (!session.stub) throw noLine(sku);
    const { snap } = unwrap(await session.stub.remove({ sku, caller: session.caller }));
    await keepGuestCookie(c, session);
    return answer(c, session, snap);
  })
  .openapi(restoreRoute, async (c) => {
    const { token } = c.req.valid("json");
    const principal = c.get("principal");
    const read = await readRestoreToken(c.env, token, new Date());
    if (read.ok && isGuestGrant(read.grant)) {
      // A guest's reminder: restored into a guest cart, never into an account's (as another user's token would be).
      if (principal) throw new ApiError(CartErrors.RESTORE_TOKEN_NOT_FOUND, "No such restore token");
      const restored = await restoreForGuest(c, read.grant);
      return answer(c, restored.session, restored.snap, { available: restored.available });
    }
    if (!principal) throw new ApiError(ErrorCode.UNAUTHORIZED, "Restoring a cart needs the signed-in user the reminder was sent to");
    if (!read.ok)
      throw read.reason === "expired"
        ? new ApiError(CartErrors.RESTORE_TOKEN_EXPIRED, "The restore link has expired")
        : new ApiError(CartErrors.RESTORE_TOKEN_INVALID, "The restore token is not valid");
    const session = await cartSession(c, { create: false });
    // Another user's token: as if it did not exist.
    if (read.grant.userId !== principal.id) throw new ApiError(CartErrors.RESTORE_TOKEN_NOT_FOUND, "No such restore token");
    const at = Date.now();
    const lines = read.grant.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      addedUnitPriceMinor: l.unitPriceMinor,
      currency: l.currency,
      addedAt: at,
      updatedAt: at,
    }));
    // The merge records its source id, so the same abandoned cart restored twice adds nothing the second time.
    const result = await session.stub!.mergeFrom({ sourceCartId: `restore:${read.grant.cartId}`, lines, caller: session.caller });
    const { snap, available } = unwrap(result);
    // The analytics funnel counts a recovered cart once: a replayed restore announces nothing.
    if (result.ok && !result.replayed && snap.cartId) {
      const scope = scopeOf(c);
      const payload = {
        cartId: snap.cartId,
        abandonedCartId: read.grant.cartId,
        userId: principal.id,
        itemCount: snap.lines.reduce((n, l) => n + l.quantity, 0),
      };
      await transactionWithEvents(
        scope.db,
        (_tx, events) => events.emit(CartRecovered, eventFrom(scope, "cart", snap.cartId!, payload)),
        scope.afterCommit,
      );
    }
    const merged = [...(session.merged ?? []), ...(result.ok ? (result.adjustments ?? []) : [])];
    return answer(c, { ...session, merged }, snap, { available });
  })
  .openapi(applyCodeRoute, async (c) => {
    const { code } = c.req.valid("json");
    const session = await cartSession(c, { create: false });
    const snap = await readCart(session);
    const skus = snap.lines.map((l) => l.sku);
    const quotes = skus.length > 0 ? await quoteSkus(dbOf(c), skus) : new Map();
    await checkCodeForCart(dbOf(c), code, snap, quotes, session.caller.userId);
    // A cart with lines has an object; the check above refused an empty one.
    const { snap: after } = unwrap(await session.stub!.addPromotionCode({ code, maxCodes: MAX_CODES_PER_CART, caller: session.caller }));
    await keepGuestCookie(c, session);
    return answer(c, session, after, { quotes });
  })
  .openapi(removeCodeRoute, async (c) => {
    const { code } = c.req.valid("param");
    const session = await cartSession(c, { create: false });
    if (!session.stub) throw new ApiError(CartErrors.PROMOTION_NOT_ON_CART, `The cart has no promotion code ${code.toUpperCase()}`);
    const { snap } = unwrap(await session.stub.removePromotionCode({ code, caller: session.caller }));
    await keepGuestCookie(c, session);
    return answer(c, session, snap);
  })
  .openapi(clearRoute, async (c) => {
    const session = await cartSession(c, { create: false });
    const snap = session.stub ? unwrap(await session.stub.clear({ caller: session.caller })).snap : await readCart(session);
    return answer(c, session, snap);
  });
