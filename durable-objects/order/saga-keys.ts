/**
 * Keys derived from the order for the side effects of its saga: a retry of
 * a step (after a crash, a timeout, a planned retry) reuses its key, so the
 * other families never hold, charge, refund or restock twice for one order.
 */
export const sagaKeys = (orderId: string) => ({
  /** `res_` and the order id's 26 characters: the shape inventory's API accepts for reservation ids. */
  reservationId: `res_${orderId.replace(/^ord_/, "")}`,
  authorize: `order:${orderId}:authorize`,
  capture: `order:${orderId}:capture`,
  void: `order:${orderId}:void`,
  refund: `order:${orderId}:refund`,
  restock: (sku: string) => `order:${orderId}:restock:${sku}`,
});
