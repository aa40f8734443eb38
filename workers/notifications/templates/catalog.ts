/**
 * The notification templates: for each, its category (which decides how
 * preferences apply), the channels it uses, the data it needs (a zod schema:
 * events and admin requests are checked against it) and how that data
 * becomes the variables of its localized texts (templates/<locale>.ts).
 * The definitions are grouped by what they are about (account.ts, orders.ts,
 * staff.ts, marketing.ts); this list holds them all, and the administrator's
 * own message.
 */
import { z } from "zod";
import { ACCOUNT_TEMPLATES } from "./account.ts";
import { safeUrl } from "./format.ts";
import { cartReminder } from "./marketing.ts";
import { ORDER_TEMPLATES } from "./orders.ts";
import { STAFF_TEMPLATES } from "./staff.ts";

export {
  CATEGORIES,
  type Category,
  CHANNELS,
  type Channel,
  type Labels,
  type LocalizedTemplate,
  type TemplateDef,
} from "./template-types.ts";

import { defineTemplate, type TemplateDef } from "./template-types.ts";

// The order of the entries is the order of TEMPLATE_IDS (and of the API's template enum).
export const TEMPLATES = {
  ...ACCOUNT_TEMPLATES,
  ...ORDER_TEMPLATES,
  ...STAFF_TEMPLATES,
  "cart-reminder": defineTemplate(cartReminder),
  message: defineTemplate({
    id: "message",
    description: "A message written by an administrator (subject and text; blank lines separate paragraphs)",
    category: null,
    channels: ["email", "sms", "push"],
    data: z.object({
      subject: z.string().min(1).max(150),
      body: z.string().min(1).max(5000),
      actionUrl: z
        .url({ protocol: /^https?$/ })
        .nullable()
        .default(null),
      actionLabel: z.string().max(60).nullable().default(null),
    }),
    vars: (d, c) => ({
      name: c.name,
      subject: d.subject,
      body: d.body,
      paragraphs: d.body
        .split(/\n\s*\n/)
        .map((p) => ({ text: p.trim() }))
        .filter((p) => p.text),
      action: safeUrl(d.actionUrl) ? { url: safeUrl(d.actionUrl)!, label: d.actionLabel ?? d.actionUrl! } : null,
    }),
  }),
} as const;

export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as [TemplateId, ...TemplateId[]];

export function templateDef(id: TemplateId): TemplateDef {
  return TEMPLATES[id] as unknown as TemplateDef;
}
