/** Where a guest order's messages go: the guest's address, with a fresh signed link to the order (notifications). */
import { isGuestOwner, loadOrder } from "../../durable-objects/order/index.ts";
import type { Queryable } from "../platform/db.ts";
import { DEFAULT_MESSAGE_LOCALE } from "../platform/message-locales.ts";
import type { Runtime } from "../platform/runtime.ts";
import { type GuestLink, signGuestLink } from "./guest-links.ts";

export type GuestRecipient = ({ kind: "guest"; email: string; locale: string } & GuestLink) | { kind: "account"; userId: string };

/** The guest's address, language and a link for an order owned by a guest; the account for one claimed since; null for no such order. */
export async function guestRecipient(db: Queryable, rt: Pick<Runtime, "vars">, orderId: string): Promise<GuestRecipient | null> {
  const order = await loadOrder(db, orderId);
  if (!order) return null;
  if (!order.guestEmail || !isGuestOwner(order.userId)) return { kind: "account", userId: order.userId };
  // Orders placed before guests chose a language have none: the shop's default.
  const locale = order.guestLocale ?? DEFAULT_MESSAGE_LOCALE;
  return { kind: "guest", email: order.guestEmail, locale, ...(await signGuestLink(rt, { id: order.id, guestEmail: order.guestEmail })) };
}
