/**
 * What providers report about sent messages, read from their webhook
 * payloads into one shape. Addresses in the payloads are used only to
 * suppress an address that bounced; they are not stored.
 */
import { z } from "zod";

export type ReportKind = "delivered" | "bounce" | "soft_bounce" | "complaint" | "undelivered" | "other";

export interface ProviderReport {
  provider: "resend" | "sendgrid" | "twilio";
  /** The provider's id of this report: a redelivered webhook is recorded once. */
  providerEventId: string;
  kind: ReportKind;
  providerMessageId: string | null;
  /** Our delivery id, when the provider echoes it back (SendGrid custom argument). */
  deliveryId: string | null;
  /** The recipient address, for suppression when no delivery record matches. */
  address: string | null;
  /** An unsubscribe (SMS STOP) rather than a bounce. */
  unsubscribed: boolean;
  detail: Record<string, unknown>;
  occurredAt: Date;
}

const resendEvent = z.object({
  type: z.string(),
  created_at: z.string(),
  data: z.looseObject({
    email_id: z.string().optional(),
    to: z.array(z.string()).optional(),
    bounce: z.looseObject({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).optional(),
  }),
});

/** Resend: one event per webhook; `svix-id` identifies it. */
export function parseResend(body: unknown, svixId: string): ProviderReport[] {
  const e = resendEvent.parse(body);
  const bounceType = e.data.bounce?.type;
  const kind: ReportKind =
    e.type === "email.delivered"
      ? "delivered"
      : e.type === "email.complained"
        ? "complaint"
        : e.type === "email.bounced"
          ? bounceType === "Permanent"
            ? "bounce"
            : "soft_bounce"
          : "other";
  return [
    {
      provider: "resend",
      providerEventId: svixId,
      kind,
      providerMessageId: e.data.email_id ?? null,
      deliveryId: null,
      address: e.data.to?.[0] ?? null,
      unsubscribed: false,
      detail: {
        type: e.type,
        ...(e.data.bounce ? { bounceType, bounceSubType: e.data.bounce.subType, message: e.data.bounce.message?.slice(0, 300) } : {}),
      },
      occurredAt: new Date(e.created_at),
    },
  ];
}

const sendgridEvent = z.looseObject({
  event: z.string(),
  email: z.string().optional(),
  timestamp: z.number(),
  sg_event_id: z.string(),
  sg_message_id: z.string().optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  notification_id: z.string().optional(),
});

/** SendGrid: a batch of events; custom arguments (our delivery id) come back as top-level keys. */
export function parseSendgrid(body: unknown): ProviderReport[] {
  return z
    .array(sendgridEvent)
    .parse(body)
    .map((e) => {
      const kind: ReportKind =
        e.event === "delivered"
          ? "delivered"
          : e.event === "spamreport"
            ? "complaint"
            : e.event === "bounce"
              ? e.type === "blocked"
                ? "soft_bounce"
                : "bounce"
              : e.event === "dropped"
                ? "bounce"
                : "other";
      return {
        provider: "sendgrid",
        providerEventId: e.sg_event_id,
        kind,
        // `X-Message-Id` at send time is the part of sg_message_id before the first dot.
        providerMessageId: e.sg_message_id?.split(".")[0] ?? null,
        deliveryId: e.notification_id ?? null,
        address: e.email ?? null,
        unsubscribed: false,
        detail: { event: e.event, type: e.type, status: e.status, reason: e.reason?.slice(0, 300) },
        occurredAt: new Date(e.timestamp * 1000),
      };
    });
}

/** Twilio status callback (form fields). Final failures carry an ErrorCode; 21610 is the recipient's STOP. */
export function parseTwilio(form: URLSearchParams): ProviderReport[] {
  const sid = form.get("MessageSid") ?? form.get("SmsSid");
  const status = form.get("MessageStatus") ?? form.get("SmsStatus");
  if (!sid || !status) throw new Error("MessageSid and MessageStatus are required");
  const errorCode = form.get("ErrorCode");
  const kind: ReportKind = status === "delivered" ? "delivered" : status === "undelivered" || status === "failed" ? "undelivered" : "other";
  return [
    {
      provider: "twilio",
      providerEventId: `${sid}:${status}`,
      kind,
      providerMessageId: sid,
      deliveryId: null,
      address: form.get("To"),
      unsubscribed: errorCode === "21610",
      detail: { status, errorCode },
      occurredAt: new Date(),
    },
  ];
}
