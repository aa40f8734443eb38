/**
 * PII rules, per event type: what happens to each payload field before
 * anything reaches analytics.
 *
 * - `hmac`: replaced by its pseudonym (a user id becomes a stable `psn_…`);
 * - `drop`: removed (emails, one-time tokens, tracking numbers and links);
 * - `keep`: kept as it is: ids, codes, times and closed sets of values;
 * - `scan`: free text that analytics keeps (product and brand names,
 *   carriers): kept, with emails, phone numbers and IP addresses in it
 *   replaced by markers.
 *
 * A field without a rule is scanned, or dropped when its name says it holds
 * personal data (`email`, `phone`, `name`, `street`, `ip`…). Paths: `a.b`,
 * `a[].b` inside arrays, `a.*` for a record's values; a rule on an object
 * covers everything inside it.
 */
export type PiiAction = "hmac" | "drop" | "keep" | "scan";
export type FieldRules = Readonly<Record<string, PiiAction>>;

const ORDER_REF = { orderId: "keep", orderNumber: "keep", userId: "hmac" } as const;
const MONEY_REF = { ...ORDER_REF, currency: "keep" } as const;
const SHIPMENT_REF = { ...ORDER_REF, shipmentId: "keep" } as const;
const PAYMENT_REF = { ...MONEY_REF, paymentId: "keep" } as const;
const SNAPSHOT = {
  "product.productId": "keep",
  "product.slug": "keep",
  "product.name": "scan",
  // Long marketing text: analytics has no use for it, and it is where stray contact details would hide.
  "product.description": "drop",
  "product.brand.id": "keep",
  "product.brand.slug": "keep",
  "product.brand.name": "scan",
  "product.category.id": "keep",
  "product.category.slug": "keep",
  "product.category.name": "scan",
  "product.category.path": "keep",
  "product.tags[]": "scan",
  "product.imageUrl": "drop",
  "product.variants[].variantId": "keep",
  "product.variants[].sku": "keep",
  "product.variants[].options.*": "scan",
  "product.variants[].currency": "keep",
  "product.createdAt": "keep",
  "product.updatedAt": "keep",
} as const;
const RATING = { reviewId: "keep", productId: "keep", authorId: "hmac", "productRating.productId": "keep" } as const;
const SESSION = { userId: "hmac", sessionId: "drop" } as const;
const MAIL = { userId: "hmac", email: "drop", token: "drop", locale: "keep", expiresAt: "keep" } as const;

export const PII_RULES: Readonly<Record<string, FieldRules>> = {
  // user
  UserRegistered: { userId: "hmac", locale: "keep" },
  UserProfileUpdated: { userId: "hmac", "changed[]": "keep" },
  UserRoleChanged: { userId: "hmac", changedBy: "hmac" },
  UserEmailVerified: { userId: "hmac" },
  UserDeleted: { userId: "hmac" },
  // auth
  UserAuthenticated: SESSION,
  LoginFailed: { userId: "hmac" },
  TokenRefreshed: SESSION,
  RefreshTokenReused: SESSION,
  SessionsRevoked: { userId: "hmac" },
  EmailVerificationRequested: MAIL,
  PasswordResetRequested: MAIL,
  EmailChangeRequested: MAIL,
  EmailChanged: { ...MAIL, newEmailHint: "drop" },
  PasswordChanged: { userId: "hmac" },
  MfaEnabled: { userId: "hmac" },
  MfaDisabled: { userId: "hmac" },
  // product
  ProductCreated: SNAPSHOT,
  ProductUpdated: { ...SNAPSHOT, "changed[]": "keep" },
  ProductDeleted: { productId: "keep", slug: "keep" },
  PriceChanged: { productId: "keep", sku: "keep", currency: "keep" },
  ProductViewed: { productRef: "scan", userId: "hmac" },
  // inventory
  InventoryUpdated: { sku: "keep", updatedAt: "keep" },
  LowStockAlert: { sku: "keep" },
  OutOfStock: { sku: "keep" },
  ReorderSuggested: { sku: "keep" },
  // cart
  ItemAddedToCart: { cartId: "keep", sku: "keep", currency: "keep" },
  ItemRemovedFromCart: { cartId: "keep", sku: "keep" },
  CartRecovered: { cartId: "keep", abandonedCartId: "keep", userId: "hmac" },
  CartAbandoned: {
    cartId: "keep",
    userId: "hmac",
    "lines[].sku": "keep",
    "lines[].currency": "keep",
    lastActivityAt: "keep",
    "guestContact.email": "drop",
    "guestContact.locale": "keep",
  },
  // order
  OrderCreated: { ...MONEY_REF, "lines[].sku": "keep", "lines[].productId": "keep", "lines[].name": "scan", shippingCountry: "keep" },
  OrderConfirmed: MONEY_REF,
  OrderCompleted: { ...MONEY_REF, completedAt: "keep" },
  OrderCancelled: MONEY_REF,
  ReturnInitiated: { ...ORDER_REF, returnId: "keep", returnBy: "keep" },
  // payment
  PaymentProcessed: { ...PAYMENT_REF, provider: "scan" },
  PaymentFailed: PAYMENT_REF,
  RefundIssued: { ...PAYMENT_REF, refundId: "keep" },
  // delivery: a tracking number or link opens the carrier's page with the recipient's address.
  ShipmentCreated: { ...SHIPMENT_REF, carrier: "scan", trackingNumber: "drop", trackingUrl: "drop", country: "keep" },
  ShipmentDispatched: { ...SHIPMENT_REF, carrier: "scan", trackingNumber: "drop", trackingUrl: "drop", estimatedDelivery: "keep" },
  DeliveryCompleted: { ...SHIPMENT_REF, deliveredAt: "keep" },
  ShipmentStatusChanged: { ...SHIPMENT_REF, at: "keep" },
  // review: ids and stars only; the author is a customer.
  ReviewCreated: { ...RATING, "heldFor[]": "keep" },
  ReviewUpdated: RATING,
  ReviewModerated: RATING,
  ReviewDeleted: RATING,
  ReviewFlagged: { reviewId: "keep", productId: "keep", authorId: "hmac" },
  // notification
  NotificationDelivered: { notificationId: "keep", template: "keep", userId: "hmac", provider: "keep" },
  NotificationBounced: { notificationId: "keep", template: "keep", userId: "hmac", provider: "keep" },
  // maintenance
  JobRunCompleted: { runId: "keep", job: "keep", error: "scan" },
  // Path parameters are ids, SKUs and names of jobs or queues, never personal data.
  StaffActionAttempted: { method: "keep", route: "keep", params: "keep" },
  StaffActionTaken: { method: "keep", route: "keep", params: "keep", status: "keep", attemptId: "keep" },
  StaffActionFailed: { method: "keep", route: "keep", params: "keep", status: "keep", attemptId: "keep" },
};

/** The rule of a path for a type: its own, a record's `*`, or the nearest enclosing path's. */
export function ruleFor(rules: FieldRules | undefined, path: string): PiiAction | undefined {
  if (!rules) return undefined;
  let p = path;
  while (p) {
    const own = rules[p];
    if (own) return own;
    const star = p.replace(/\.[^.[\]]+$/, ".*");
    if (star !== p && rules[star]) return rules[star];
    if (p.endsWith("[]")) p = p.slice(0, -2);
    else {
      const dot = p.lastIndexOf(".");
      if (dot < 0) break;
      p = p.slice(0, dot);
    }
  }
  return undefined;
}
