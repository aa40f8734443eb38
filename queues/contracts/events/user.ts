/**
 * User events (topic `user`). Payloads carry ids and field names, not
 * personal data: consumers that need an address or a name ask the users
 * family for it, so erasing an account erases it everywhere.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

const Role = z.enum(["customer", "support", "analyst", "admin"]);

export const UserRegistered = defineEvent({
  type: "UserRegistered",
  version: 1,
  topic: "user",
  description: "An account was created, by registration or by a first sign-in through a trusted identity provider.",
  payload: z.object({
    userId: z.string(),
    role: Role,
    locale: z.string(),
    via: z.enum(["registration", "sso"]),
    emailVerified: z.boolean(),
  }),
});

export const UserProfileUpdated = defineEvent({
  type: "UserProfileUpdated",
  version: 1,
  topic: "user",
  description: "Profile fields of an account changed; `changed` names them (values are not carried).",
  payload: z.object({
    userId: z.string(),
    changed: z.array(z.string()).min(1),
    version: z.number().int().positive(),
  }),
});

export const UserRoleChanged = defineEvent({
  type: "UserRoleChanged",
  version: 1,
  topic: "user",
  description: "An administrator changed the role of an account.",
  payload: z.object({ userId: z.string(), from: Role, to: Role, changedBy: z.string() }),
});

export const UserEmailVerified = defineEvent({
  type: "UserEmailVerified",
  version: 1,
  topic: "user",
  description: "The owner of an account proved they receive mail at its address.",
  payload: z.object({ userId: z.string() }),
});

export const UserDeleted = defineEvent({
  type: "UserDeleted",
  version: 1,
  topic: "user",
  description: "An account was deleted: its personal data is erased and its sessions revoked; projections drop what they hold about it.",
  payload: z.object({ userId: z.string(), deletedBy: z.enum(["self", "admin"]) }),
});
