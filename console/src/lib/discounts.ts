/** Timed discounts in the console: their shape, where one stands now, and the form that creates and edits one (described as data). */
import { CURRENCIES, type FieldSpec } from "./form-spec.ts";

export type State = "active" | "scheduled" | "ended";
export interface Discount {
  id: string;
  name: string;
  kind: "percentage" | "fixed";
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  scope: "product" | "category" | "all";
  productId: string | null;
  categoryId: string | null;
  startsAt: string;
  endsAt: string | null;
  version: number;
}

/** Where a discount stands at `now` (the list's state filter, computed the same way for each row). */
export function discountState(d: Pick<Discount, "startsAt" | "endsAt">, now = Date.now()): State {
  if (Date.parse(d.startsAt) > now) return "scheduled";
  if (d.endsAt && Date.parse(d.endsAt) <= now) return "ended";
  return "active";
}

/** The create and edit form: one entry per body field of POST (and PATCH) /api/products/discounts. */
export function discountFields(categories: readonly (readonly [string, string])[]): FieldSpec[] {
  return [
    { name: "name", label: "Name", kind: "text" },
    {
      name: "kind",
      label: "Kind",
      kind: "select",
      options: [
        ["percentage", "Percentage off"],
        ["fixed", "Amount off each unit"],
      ],
    },
    { name: "percentBp", label: "Percent off", kind: "percent", when: (v) => v.kind === "percentage" },
    { name: "amountMinor", label: "Amount off", kind: "amount", when: (v) => v.kind === "fixed" },
    { name: "currency", label: "Currency", kind: "select", options: CURRENCIES, when: (v) => v.kind === "fixed" },
    {
      name: "scope",
      label: "Applies to",
      kind: "select",
      options: [
        ["all", "Every product"],
        ["category", "A category and its subcategories"],
        ["product", "One product"],
      ],
    },
    { name: "categoryId", label: "Category", kind: "select", options: categories, when: (v) => v.scope === "category" },
    { name: "productId", label: "Product id", kind: "text", when: (v) => v.scope === "product", hint: "prd_…" },
    { name: "startsAt", label: "Starts", kind: "datetime", omitWhenEmpty: true, hint: "Empty: now" },
    { name: "endsAt", label: "Ends", kind: "datetime", hint: "Empty: no end" },
  ];
}
