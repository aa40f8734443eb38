/**
 * The demo catalogue's top categories, in the order the generator
 * (demo-data.ts) walks them: their subcategories, brands and word lists. Kept
 * apart from the generator so the logic stays short and the data easy to
 * edit; the shapes are in catalogue-spec.ts. Brands and titles are invented.
 */
import { BEAUTY_AND_BOOKS } from "./catalogue-beauty-books.ts";
import { ELECTRONICS_AND_APPAREL } from "./catalogue-electronics-apparel.ts";
import { HOME_AND_SPORTS } from "./catalogue-home-sports.ts";
import type { TopCategorySpec } from "./catalogue-spec.ts";

export const CATALOGUE: TopCategorySpec[] = [...ELECTRONICS_AND_APPAREL, ...HOME_AND_SPORTS, ...BEAUTY_AND_BOOKS];
