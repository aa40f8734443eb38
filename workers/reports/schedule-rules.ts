/**
 * When a schedule fires: an hour after the day, ISO week (Monday 00:00 UTC)
 * or month it reports on has ended, so late facts have landed; each firing
 * covers the complete span just before it. Pure, tested beside.
 */
import type { Frequency } from "../../db/schema/reports.ts";
import { lastComplete } from "./definitions/params.ts";

export const FIRE_DELAY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

const span = (f: Frequency) => (f === "daily" ? "day" : f === "weekly" ? "week" : "month");

/** The first firing strictly after `after`. */
export function nextFire(frequency: Frequency, after: Date): Date {
  const day = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate()));
  let start: Date;
  if (frequency === "daily") start = day;
  else if (frequency === "weekly") start = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  else start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  for (;;) {
    const fire = new Date(start.getTime() + FIRE_DELAY_MS);
    if (fire > after) return fire;
    start =
      frequency === "daily"
        ? new Date(start.getTime() + DAY_MS)
        : frequency === "weekly"
          ? new Date(start.getTime() + 7 * DAY_MS)
          : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  }
}

/** The period a firing reports on: the complete span that ended just before it. */
export function periodOfFiring(frequency: Frequency, fireAt: Date): { from: string; to: string } {
  const p = lastComplete(span(frequency), fireAt);
  return { from: p.from.toISOString().slice(0, 10), to: p.to.toISOString().slice(0, 10) };
}
