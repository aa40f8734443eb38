/** Marketing templates: sent only to users who opted into marketing mail, from a verified address (preferences.ts). */
import { z } from "zod";
import { formatDateTime, formatMoney } from "./format.ts";
import type { TemplateDef } from "./template-types.ts";

const CartReminderData = z.object({
  /** The signed token of the restore link (the cart family's restore-token.ts). */
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  itemCount: z.number().int().positive(),
  lines: z
    .array(
      z.object({
        /** The product's name, or the SKU when the catalogue no longer has it. */
        name: z.string(),
        quantity: z.number().int().positive(),
        unitPriceMinor: z.number().int().nonnegative(),
        currency: z.string().regex(/^[A-Z]{3}$/),
      }),
    )
    .min(1),
});

export const cartReminder = {
  id: "cart-reminder",
  description: "Marketing: the lines of an abandoned cart, with a link that puts them back in the cart",
  category: "marketing",
  channels: ["email"],
  data: CartReminderData,
  vars: (d, c) => ({
    name: c.name,
    itemCount: d.itemCount,
    url: c.links.restoreCart(d.token),
    expires: formatDateTime(d.expiresAt, c.locale),
    lines: d.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      price: formatMoney(l.unitPriceMinor * l.quantity, l.currency, c.locale),
    })),
  }),
} as const satisfies TemplateDef<typeof CartReminderData>;
