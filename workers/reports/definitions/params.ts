/**
 * The parameters every report shares: a period (`from` inclusive, `to`
 * exclusive, as dates; by default the last complete day, ISO week or month
 * before now, whichever the report is about) and, for money, a currency.
 * Pure, so a schedule's period is the same function of its firing time.
 */
import { z } from "@hono/zod-openapi";

const DAY_MS = 86_400_000;
export const MAX_PERIOD_DAYS = 366;

const DateParam = z.iso.date().openapi({ example: "2026-03-02" });
export const periodParams = {
  from: DateParam.optional().openapi({ description: "First day, inclusive (default: the start of the last complete span)" }),
  to: DateParam.optional().openapi({ description: "End day, exclusive (default: the end of the last complete span)" }),
};
export const currencyParam = z
  .string()
  .regex(/^[A-Z]{3}$/, "ISO 4217 code")
  .openapi({ example: "USD" });

export type Span = "day" | "week" | "month";
export type Granularity = Span;

/** The period the analytics queries take (the same shape as theirs). */
export interface Period {
  from: Date;
  to: Date;
  granularity: Granularity;
}

const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** The last complete day, ISO week (from Monday) or month that ended at or before `now`. */
export function lastComplete(span: Span, now: Date): { from: Date; to: Date } {
  const today = midnight(now);
  if (span === "day") return { from: new Date(today.getTime() - DAY_MS), to: today };
  if (span === "week") {
    const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY_MS);
    return { from: new Date(monday.getTime() - 7 * DAY_MS), to: monday };
  }
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  return { from: new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 1)), to: first };
}

const at = (day: string) => new Date(`${day}T00:00:00Z`);

/** The period of a request: both ends given, or the default span; checks order and length. */
export function periodFor(
  params: { from?: string; to?: string },
  span: Span,
  now: Date,
  granularity: Granularity,
): { ok: true; period: Period } | { ok: false; field: string; message: string } {
  if ((params.from === undefined) !== (params.to === undefined))
    return { ok: false, field: params.from === undefined ? "from" : "to", message: "give both `from` and `to`, or neither" };
  const { from, to } = params.from && params.to ? { from: at(params.from), to: at(params.to) } : lastComplete(span, now);
  if (from >= to) return { ok: false, field: "from", message: "must be before `to`" };
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    return { ok: false, field: "to", message: `a report covers at most ${MAX_PERIOD_DAYS} days` };
  return { ok: true, period: { from, to, granularity } };
}
