/** Which order mail the console may send again. */

/** The mail an order's customer got for where it stands: received while pending, confirmed after; none once cancelled. */
export function resendableMail(o: { status: string; userId: string }): "order-created" | "order-confirmed" | null {
  // A guest order has no account to send to through the staff send route; its mails go to the guest's address.
  if (o.userId.startsWith("gst_") || o.status === "cancelled" || o.status === "cancelling") return null;
  return o.status === "pending" ? "order-created" : "order-confirmed";
}
