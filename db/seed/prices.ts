/** Prices of the demo variants (demo-data.ts). */

/** Retail-looking prices: $24.99, $119.95, $40.00. */
export function toPriceMinor(dollars: number, ending: number): number {
  const whole = Math.max(1, Math.round(dollars));
  return ending === 0 ? whole * 100 : whole * 100 - (100 - ending);
}
