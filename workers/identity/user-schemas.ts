/** Request and response schemas of the users routes; they also make the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { ROLES } from "../platform/context.ts";
import { MAX_PASSWORD_LENGTH } from "./password-policy.ts";

export const UserId = z
  .string()
  .regex(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/)
  .openapi({ example: "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2V4K" });
export const AddressId = z.string().regex(/^adr_[0-9A-HJKMNP-TV-Z]{26}$/);

export const Email = z.email().max(254).openapi({ example: "ana@example.com" });
/** Length is checked by the password policy (with a clearer message); this only bounds the body. */
export const Password = z
  .string()
  .max(MAX_PASSWORD_LENGTH * 4)
  .openapi({ description: "12 to 128 characters; common passwords are refused", example: "tangerine-oxygen-velvet" });
const Name = z.string().trim().min(1).max(120);
const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be in E.164 form, e.g. +14155550123");
const Locale = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "must be a language tag such as en or pt-BR");

export const NotificationPreferencesSchema = z
  .object({ orderUpdates: z.boolean(), marketingEmails: z.boolean(), productRecommendations: z.boolean(), sms: z.boolean() })
  .openapi("NotificationPreferences");

export const AddressSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    recipient: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string().openapi({ example: "PT" }),
    phone: z.string().nullable(),
    isDefaultShipping: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Address");

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    pendingEmail: z
      .string()
      .nullable()
      .openapi({ description: "A new address waiting for its confirmation link; `email` stays the account's until then" }),
    name: z.string(),
    phone: z.string().nullable(),
    locale: z.string(),
    role: z.enum(ROLES),
    notificationPreferences: NotificationPreferencesSchema,
    addresses: z.array(AddressSchema),
    defaultShippingAddressId: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User");

/** Strict objects: a field the caller may not set (role, ids, verification, timestamps) is a 422, never applied. */
export const RegisterBody = z
  .strictObject({
    email: Email,
    password: Password,
    name: Name,
    phone: Phone.optional(),
    locale: Locale.optional(),
    notificationPreferences: NotificationPreferencesSchema.partial().strict().optional(),
  })
  .openapi("RegisterRequest", {
    example: { email: "ana@example.com", password: "tangerine-oxygen-velvet", name: "Ana Silva", locale: "pt-BR" },
  });

export const UpdateUserBody = z
  .strictObject({
    name: Name.optional(),
    email: Email.optional().openapi({ description: "A new address must be verified again" }),
    phone: Phone.nullable().optional(),
    locale: Locale.optional(),
    notificationPreferences: NotificationPreferencesSchema.partial().strict().optional(),
    role: z.enum(ROLES).optional().openapi({ description: "Administrators only" }),
    currentPassword: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: "The account's password: required from the owner to change the email (a stolen token alone must not)" }),
  })
  .refine((b) => Object.keys(b).some((k) => k !== "currentPassword"), "Change at least one field")
  .openapi("UpdateUserRequest");

const AddressFields = {
  label: z.string().trim().max(40).nullable().optional(),
  recipient: z.string().trim().min(1).max(120),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).nullable().optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).nullable().optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as PT"),
  phone: Phone.nullable().optional(),
  isDefaultShipping: z.boolean().optional(),
};
export const AddressBody = z.strictObject(AddressFields).openapi("AddressRequest");
export const AddressPatchBody = z
  .strictObject(AddressFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, "Change at least one field")
  .openapi("AddressUpdateRequest");

export type RegisterInput = z.infer<typeof RegisterBody>;
export type UpdateUserInput = z.infer<typeof UpdateUserBody>;
export type AddressInput = z.infer<typeof AddressBody>;
export type AddressPatch = z.infer<typeof AddressPatchBody>;
