/**
 * Who an event's messages go to: the plans (template, audience, data) an
 * event asks for. The data is the event's payload; each template's schema
 * keeps the fields it needs and checks them. Which events notify, with which
 * plans, is the list of subscriptions in the family's index.
 */
import type { Role } from "../platform/context.ts";
import type { TemplateId } from "./templates/catalog.ts";

export type Audience =
  /** An account: its address, phone, push subscriptions, locale and preferences. */
  | { kind: "user"; userId: string }
  /** One address named by the event (verifying or resetting): mail only, no preferences apply. */
  | {
      kind: "address";
      userId: string;
      email: string;
      locale: string;
      /** The address's owner consented to marketing mail where they left it (a guest cart's reminder address). */
      marketingConsent?: true;
    }
  /** Every account holding one of the roles. */
  | { kind: "roles"; roles: Role[] };

export interface Plan {
  template: TemplateId;
  audience: Audience;
  data: unknown;
}

/** Moderators are the support and admin roles; stock alerts go to admins. */
export const MODERATOR_ROLES: Role[] = ["support", "admin"];
export const STOCK_ALERT_ROLES: Role[] = ["admin"];

/** The account the event is about. */
export const toUser =
  (template: TemplateId) =>
  (p: { userId: string }): Plan[] => [{ template, audience: { kind: "user", userId: p.userId }, data: p }];

/** The address the event names, in its locale (verification and reset mails). */
export const toAddress =
  (template: TemplateId) =>
  (p: { userId: string; email: string; locale: string }): Plan[] => [
    { template, audience: { kind: "address", userId: p.userId, email: p.email, locale: p.locale }, data: p },
  ];

/** Every account holding one of `roles` (staff alerts). */
export const toRoles =
  (template: TemplateId, roles: Role[]) =>
  (p: unknown): Plan[] => [{ template, audience: { kind: "roles", roles }, data: p }];
