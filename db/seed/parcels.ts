/** Parcel dimensions of the demo variants (demo-data.ts). */
import type { Rng } from "./rng.ts";

export type Box = { lengthMm: number; widthMm: number; heightMm: number };

/** A product's parcel in millimetres, roughly fitting its weight. */
export function boxFor(rng: Rng, grams: number): Box {
  const side = Math.cbrt(Math.max(grams, 10)) * 14;
  const mm = (lo: number, hi: number) => side * (lo + rng.next() * (hi - lo));
  return { lengthMm: mm(1.2, 2.0), widthMm: mm(0.8, 1.3), heightMm: mm(0.25, 0.8) };
}

/** A variant's parcel: the product's, grown with the variant's weight factor (larger sizes, bigger packs). */
export function scaleBox(box: Box, factor: number): Box {
  const k = Math.cbrt(factor);
  const mm = (x: number) => Math.max(10, Math.round(x * k));
  return { lengthMm: mm(box.lengthMm), widthMm: mm(box.widthMm), heightMm: mm(box.heightMm) };
}
