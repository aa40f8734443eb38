/** Account templates: the welcome after registration and the security mail about the account's address and password. */
import { z } from "zod";
import { formatDateTime } from "./format.ts";
import { defineTemplate } from "./template-types.ts";

export const ACCOUNT_TEMPLATES = {
  welcome: defineTemplate({
    id: "welcome",
    description: "Welcome after registration",
    category: "transactional",
    channels: ["email"],
    data: z.object({}),
    vars: (_d, c) => ({ name: c.name, shopUrl: c.links.home }),
  }),
  "email-verification": defineTemplate({
    id: "email-verification",
    description: "Confirm an email address (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.verifyEmail(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "password-reset": defineTemplate({
    id: "password-reset",
    description: "Reset a forgotten password (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.resetPassword(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "email-change": defineTemplate({
    id: "email-change",
    description: "Confirm the new address an account asked to move to (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.confirmEmailChange(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "email-changed": defineTemplate({
    id: "email-changed",
    description: "Security notice to the previous address: the account moved to another one (carries a single-use revert token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }), newEmailHint: z.string().min(1).max(320) }),
    vars: (d, c) => ({
      name: c.name,
      url: c.links.revertEmailChange(d.token),
      expires: formatDateTime(d.expiresAt, c.locale),
      newEmail: d.newEmailHint,
    }),
  }),
  "password-changed": defineTemplate({
    id: "password-changed",
    description: "Security notice: the password was changed",
    category: "security",
    channels: ["email", "push"],
    data: z.object({ via: z.enum(["reset", "change"]) }),
    vars: (d, c) => ({ name: c.name, viaReset: d.via === "reset", securityUrl: c.links.security }),
  }),
} as const;
