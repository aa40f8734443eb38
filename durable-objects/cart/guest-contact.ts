/**
 * A guest cart's reminder address (pure). A guest may leave an email address
 * on the cart, with or without consent to marketing mail; when the cart is
 * abandoned, CartAbandoned carries the address only if the guest consented,
 * so the reminder goes to no one who did not ask for it. Setting or removing
 * it counts as activity on the cart (it is the guest at work).
 */
export interface GuestContact {
  email: string;
  /** Explicit consent to marketing mail (the abandoned-cart reminder); without it the address is kept but never mailed. */
  marketingConsent: boolean;
  /** The language of the reminder (one the mail templates are written in). */
  locale: string;
}

/** The cart with `contact` (null: without one), as a change of the cart. */
export function withContact<S extends { contact?: GuestContact; version: number; lastActivityAt: number }>(
  state: S,
  contact: GuestContact | null,
  now: number,
): S {
  const { contact: _previous, ...rest } = state;
  return { ...rest, ...(contact ? { contact } : {}), version: state.version + 1, lastActivityAt: now } as S;
}

/** What CartAbandoned says of the guest: the address and language, only with consent to marketing mail. */
export function reminderContact(state: { userId: string | null; contact?: GuestContact }): { email: string; locale: string } | null {
  const c = state.contact;
  return state.userId === null && c?.marketingConsent ? { email: c.email, locale: c.locale } : null;
}
