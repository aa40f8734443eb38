/**
 * Money columns: 64-bit integers of minor units (cents), read as JavaScript
 * numbers. Every amount the application accepts or computes stays below
 * `MONEY_MAX_MINOR` (checked where totals are formed), far inside both the
 * column's range and the exactly representable integers of a double, so the
 * number mode loses nothing.
 */
import { bigint } from "drizzle-orm/pg-core";

export const money = (name: string) => bigint(name, { mode: "number" });
