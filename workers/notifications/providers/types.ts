/** The provider interface every channel adapter implements, and how failures are told apart. */
import type { Channel } from "../templates/catalog.ts";

/** A file sent with a mail (the providers base64-encode it). */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: EmailAttachment[];
}

export interface SmsMessage {
  to: string;
  body: string;
}

export interface PushMessage {
  endpoint: string;
  p256dh: string;
  auth: string;
  /** The JSON the service worker receives. */
  payload: string;
  ttlSeconds: number;
  urgency: "very-low" | "low" | "normal" | "high";
}

export interface MessageByChannel {
  email: EmailMessage;
  sms: SmsMessage;
  push: PushMessage;
}

export interface SendContext {
  /** Stable per (source, channel, recipient): a provider that honours it sends one message however often it is called. */
  idempotencyKey: string;
  deliveryId: string;
  template: string;
  userId: string | null;
}

export interface SendResult {
  /** The provider's id of the message (webhooks refer to it); null if the provider accepted it without giving one. */
  providerMessageId: string | null;
  /** Whether this provider deduplicates by the idempotency key. */
  idempotent: boolean;
}

export interface Provider<C extends Channel = Channel> {
  name: string;
  kind: string;
  channel: C;
  send(message: MessageByChannel[C], ctx: SendContext): Promise<SendResult>;
}

export interface ProviderErrorInfo {
  /** The message cannot be sent by any provider (an invalid address): do not fail over, do not retry. */
  permanent: boolean;
  status?: number;
  code?: string;
  /** A push subscription that no longer exists (404/410): forget it. */
  gone?: boolean;
  /** The recipient asked not to receive messages (SMS STOP): suppress the address. */
  unsubscribed?: boolean;
}

export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly info: ProviderErrorInfo,
  ) {
    super(message);
  }
}

export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError(err instanceof Error ? `${err.name}: ${err.message}` : String(err), { permanent: false });
}
