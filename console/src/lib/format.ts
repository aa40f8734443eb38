/** Money, numbers and dates in the user's locale (the browser's, unless a test names one). */

const defaultLocale = () => (typeof navigator === "undefined" ? "en-US" : navigator.language || "en-US");

/** Minor units (cents) of `currency` as the locale writes money: 123456 USD → "$1,234.56". */
export function formatMoney(minor: number | null | undefined, currency: string, locale = defaultLocale()): string {
  if (minor === null || minor === undefined) return "—";
  const fmt = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(minor / 10 ** digits);
}

export function formatNumber(value: number | null | undefined, locale = defaultLocale()): string {
  return value === null || value === undefined ? "—" : new Intl.NumberFormat(locale).format(value);
}

/** A share (0..1) as a percentage with one decimal. */
export function formatPercent(share: number | null | undefined, locale = defaultLocale()): string {
  return share === null || share === undefined
    ? "—"
    : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

export function formatDateTime(iso: string | null | undefined, locale = defaultLocale(), timeZone?: string): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone } : {}) }).format(d);
}

/** A calendar day (YYYY-MM-DD) as the locale writes it, without shifting it through a time zone. */
export function formatDay(day: string, locale = defaultLocale()): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** YYYY-MM-DD of a date in UTC, `offsetDays` away. */
export function isoDay(date: Date, offsetDays = 0): string {
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
