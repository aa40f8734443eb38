/** The demo discounts (demo-data.ts), placed around the generator's `now`. */
import { DEMO_CURRENCY, type DemoData, type DemoDiscount } from "./demo-types.ts";
import type { Rng } from "./rng.ts";

/**
 * A running category sale, a fixed amount off one product, and a sitewide
 * sale that starts in a week, so listings show discounted and compare-at
 * prices and the price index has a future window to switch to.
 */
export function demoDiscounts(rng: Rng, data: DemoData, makeId: (prefix: string) => string, now: Date): DemoDiscount[] {
  const day = 86_400_000;
  const at = (days: number) => new Date(now.getTime() + days * day);
  const tops = data.categories.filter((c) => c.parentId === null);
  const active = data.products.filter((p) => p.status === "active");
  if (tops.length === 0 || active.length === 0) return [];
  const top = rng.pick(tops);
  const product = rng.pick(active);
  const none = { percentBp: null, amountMinor: null, currency: null, productId: null, categoryId: null };
  return [
    {
      ...none,
      id: makeId("dsc"),
      name: `${top.name} week`,
      kind: "percentage",
      percentBp: 1500,
      scope: "category",
      categoryId: top.id,
      startsAt: at(-2),
      endsAt: at(5),
    },
    {
      ...none,
      id: makeId("dsc"),
      name: "Five off",
      kind: "fixed",
      amountMinor: 500,
      currency: DEMO_CURRENCY,
      scope: "product",
      productId: product.id,
      startsAt: at(-1),
      endsAt: null,
    },
    {
      ...none,
      id: makeId("dsc"),
      name: "Sitewide weekend",
      kind: "percentage",
      percentBp: 1000,
      scope: "all",
      startsAt: at(7),
      endsAt: at(9),
    },
  ];
}
