/** Locale-aware formatting of the values messages show: money, dates, links. */

/** `1234, "EUR", "de"` → `12,34 €`; the currency's own number of minor digits (JPY has none). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** A calendar date (`2026-03-01`) or instant, as a long local date. */
export function formatDate(value: string, locale: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
}

export function formatDateTime(value: string, locale: string): string {
  // Messages do not know the reader's time zone, so times are in UTC and say so.
  return `${new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(value))} UTC`;
}

/** Links into the web shop; every dynamic part is URL-encoded. */
export function storefrontLinks(base: string) {
  const root = base.replace(/\/+$/, "");
  const at = (path: string, query?: Record<string, string>) => `${root}${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
  const id = encodeURIComponent;
  return {
    home: at("/"),
    order: (orderId: string) => at(`/account/orders/${id(orderId)}`),
    // A guest's order, through the signed token of its link (the page reads it with POST /api/orders/guest/view).
    guestOrder: (token: string) => at("/orders/guest", { token }),
    // A guest's invoice page on the storefront (it shows the PDF of POST /api/orders/guest/invoice).
    guestInvoice: (token: string) => at("/orders/guest/invoice", { token }),
    // The storefront's page of an order's invoice (it shows the PDF of GET /api/orders/{id}/invoice).
    invoice: (orderId: string) => at(`/account/orders/${id(orderId)}/invoice`),
    returns: (orderId: string) => at(`/account/orders/${id(orderId)}/returns`),
    verifyEmail: (token: string) => at("/verify-email", { token }),
    resetPassword: (token: string) => at("/reset-password", { token }),
    confirmEmailChange: (token: string) => at("/email-change/confirm", { token }),
    revertEmailChange: (token: string) => at("/email-change/revert", { token }),
    security: at("/account/security"),
    restoreCart: (token: string) => at("/cart/restore", { token }),
    preferences: at("/account/notifications"),
    reviewModeration: (reviewId: string) => at(`/admin/reviews/${id(reviewId)}`),
    stock: (sku: string) => at(`/admin/inventory/${id(sku)}`),
  };
}
export type Links = ReturnType<typeof storefrontLinks>;

/** Only http(s) URLs become links; anything else (javascript:, data:) is dropped. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
