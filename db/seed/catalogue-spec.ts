/**
 * The shape of the demo catalogue's word lists (catalogue.ts) and the small
 * builders its tables use for option dimensions: colours, sizes, volumes,
 * formats, and the shared name templates.
 */

/** One value of a variant option: the label shown to shoppers, its SKU code, and a price/weight multiplier. */
export interface OptionValue {
  label: string;
  code: string;
  factor?: number;
}

/** A variant dimension such as size or colour. The first dimension of a subcategory varies most. */
export interface OptionDim {
  name: string;
  values: OptionValue[];
}

export interface SubcategorySpec {
  slug: string;
  name: string;
  /** SKU segment: `APP-SHIRT-0042-M-BLU`. */
  code: string;
  /** Name templates; {a} adjective, {n} noun, {m} modifier. */
  patterns: string[];
  adjectives: string[];
  nouns: string[];
  modifiers?: string[];
  /** Lowercase phrases that finish "<Name> from <Brand>: ..." in the description. */
  features: string[];
  tags: string[];
  options: OptionDim[];
  /** Whole-dollar price range and gram weight range of the base variant. */
  price: [number, number];
  weight: [number, number];
}

export interface TopCategorySpec {
  slug: string;
  name: string;
  code: string;
  brands: string[];
  /** Closing sentences of descriptions. */
  closers: string[];
  subcategories: SubcategorySpec[];
}

export const v = (label: string, code: string, factor?: number): OptionValue =>
  factor === undefined ? { label, code } : { label, code, factor };
export const colour = (...labels: string[]): OptionDim => ({
  name: "colour",
  values: labels.map((l) => v(l, COLOUR_CODES[l] ?? l.slice(0, 3).toUpperCase())),
});
export const size = (...labels: string[]): OptionDim => ({ name: "size", values: labels.map((l) => v(l, l)) });
export const volume = (...ml: [number, number][]): OptionDim => ({ name: "volume", values: ml.map(([n, f]) => v(`${n} ml`, `${n}ML`, f)) });
export const format = (...values: OptionValue[]): OptionDim => ({ name: "format", values });

const COLOUR_CODES: Record<string, string> = {
  Black: "BLK",
  White: "WHT",
  Grey: "GRY",
  Navy: "NAV",
  Olive: "OLV",
  Beige: "BEI",
  Silver: "SLV",
  Purple: "PUR",
  Orange: "ORG",
};
export const TWO = ["{a} {n}", "{a} {n}", "{a} {n} {m}"];
export const PLAIN = ["{a} {n}"];
export const PAPERBACK = v("Paperback", "PB");
export const HARDCOVER = v("Hardcover", "HC", 1.8);
