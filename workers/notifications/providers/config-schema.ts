/**
 * The shape of the NOTIFICATION_PROVIDERS secret: per channel, the providers
 * to use in order (primary first, then failover). A channel left out uses the
 * local capture provider, which only stores what it would have sent.
 *
 * {"email":[{"kind":"resend","apiKey":"re_…","from":"Shop <shop@mail.example>","webhookSecret":"whsec_…"},
 *           {"kind":"sendgrid","apiKey":"SG.…","from":"Shop <shop@mail.example>","webhookPublicKey":"MFkw…"}],
 *  "sms":[{"kind":"twilio","accountSid":"AC…","authToken":"…","from":"+15550100"}],
 *  "push":[{"kind":"webpush","vapidPublicKey":"B…","vapidPrivateKey":"…","subject":"mailto:ops@example.com"}]}
 */
import { z } from "zod";

const b64url = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url")
    .refine((s) => Math.floor((s.length * 3) / 4) === bytes, `must encode ${bytes} bytes`);

const capture = z.object({
  kind: z.literal("capture"),
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .default("capture"),
});

const resend = z.object({
  kind: z.literal("resend"),
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .default("resend"),
  apiKey: z.string().min(8),
  from: z.string().min(3),
  /** The Svix signing secret of the webhook endpoint (`whsec_…`). */
  webhookSecret: z.string().startsWith("whsec_").optional(),
  baseUrl: z.url().default("https://api.resend.com"),
});

const sendgrid = z.object({
  kind: z.literal("sendgrid"),
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .default("sendgrid"),
  apiKey: z.string().min(8),
  from: z.string().min(3),
  /** The Event Webhook's verification key: base64 DER (SubjectPublicKeyInfo) of a P-256 key. */
  webhookPublicKey: z.string().min(40).optional(),
  baseUrl: z.url().default("https://api.sendgrid.com"),
});

const twilio = z
  .object({
    kind: z.literal("twilio"),
    name: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/)
      .default("twilio"),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
    authToken: z.string().min(16),
    from: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/)
      .optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/)
      .optional(),
    /** Where Twilio posts status callbacks; also the URL their signatures cover. */
    statusCallbackUrl: z.url().optional(),
    /** A regional edge for failover, e.g. `https://api.dublin.ie1.twilio.com`. */
    baseUrl: z.url().default("https://api.twilio.com"),
  })
  .refine((t) => t.from || t.messagingServiceSid, "needs `from` or `messagingServiceSid`");

const webpush = z.object({
  kind: z.literal("webpush"),
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .default("webpush"),
  /** The application server key browsers subscribe with: an uncompressed P-256 point. */
  vapidPublicKey: b64url(65),
  /** Its private scalar `d`. */
  vapidPrivateKey: b64url(32),
  /** Contact for push services: `mailto:` or `https:`. */
  subject: z.string().regex(/^(mailto:|https:)/),
});

const uniqueNames = (list: { name: string }[]) => new Set(list.map((p) => p.name)).size === list.length;

export const providersConfigSchema = z.object({
  email: z
    .array(z.discriminatedUnion("kind", [resend, sendgrid, capture]))
    .min(1)
    .max(3)
    .refine(uniqueNames, "provider names must be unique")
    .optional(),
  sms: z
    .array(z.union([twilio, capture]))
    .min(1)
    .max(3)
    .refine(uniqueNames, "provider names must be unique")
    .optional(),
  push: z
    .array(z.discriminatedUnion("kind", [webpush, capture]))
    .min(1)
    .max(3)
    .refine(uniqueNames, "provider names must be unique")
    .optional(),
});

export type ResendConfig = z.infer<typeof resend>;
export type SendgridConfig = z.infer<typeof sendgrid>;
export type TwilioConfig = z.infer<typeof twilio>;
export type WebPushConfig = z.infer<typeof webpush>;
export type CaptureConfig = z.infer<typeof capture>;
