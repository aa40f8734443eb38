/**
 * `POST /api/notifications/send`: an administrator sends a templated message
 * to one user, synchronously, through the same composition, preferences,
 * failover and delivery records as event-driven messages. With an
 * `Idempotency-Key`, repeating the request sends nothing twice.
 */
import { z } from "zod";
import { findNotificationContact } from "../identity/index.ts";
import { platformConfig } from "../platform/config.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { compose } from "./compose.ts";
import { sha256Hex } from "./crypto/bytes.ts";
import { recordSkipped } from "./deliveries.ts";
import { dispatch } from "./dispatch.ts";
import type { EmailAttachment } from "./providers/types.ts";
import { type Category, type Channel, type TemplateId, templateDef } from "./templates/catalog.ts";

export interface SendInput {
  userId: string;
  template: TemplateId;
  data: Record<string, unknown>;
  channels?: Channel[];
  category?: Category;
  locale?: string;
  /** Files for the email messages (the report family's scheduled files). */
  attachments?: EmailAttachment[];
}

export interface SendOutcome {
  sendId: string;
  status: "sent" | "partial" | "failed" | "skipped";
  messages: {
    id: string;
    channel: Channel;
    status: string;
    skipReason: string | null;
    provider: string | null;
    error: string | null;
    duplicate: boolean;
  }[];
}

/** The same key from the same caller for the same user names the same send. */
export async function sendIdFor(callerId: string, userId: string, idempotencyKey: string | undefined): Promise<string> {
  return idempotencyKey ? `snd_${(await sha256Hex(`${callerId}|${userId}|${idempotencyKey}`)).slice(0, 26).toUpperCase()}` : newId("snd");
}

export async function adminSend(
  db: Database,
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  sendId: string,
  input: SendInput,
): Promise<SendOutcome> {
  const def = templateDef(input.template);
  if (def.category === null && !input.category)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", {
      errors: [{ field: "category", message: `required for the ${input.template} template` }],
    });
  const parsed = def.data.safeParse(input.data);
  if (!parsed.success) {
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", {
      errors: parsed.error.issues.map((i) => ({ field: ["data", ...i.path.map(String)].join("."), message: i.message })),
    });
  }
  if (!(await findNotificationContact(db, input.userId))) throw notFound("user");

  // The confirmation says its invoice is attached only when the event's handler attached it: a send names none.
  const data = input.template === "order-confirmed" ? { ...(parsed.data as object), invoiceNumber: undefined } : parsed.data;
  const plan = { template: input.template, audience: { kind: "user" as const, userId: input.userId }, data };
  const { outgoing, skipped } = await compose(db, { id: sendId, type: "AdminSend" }, plan, {
    channels: input.channels,
    category: input.category,
    locale: input.locale,
    storefrontUrl: platformConfig.read(rt).STOREFRONT_URL,
    attachments: input.attachments,
  });
  const skippedIds = await recordSkipped(db, skipped);
  const outcomes = await dispatch(db, rt, outgoing);

  const messages: SendOutcome["messages"] = outcomes.map((o) => ({
    id: o.deliveryId,
    channel: o.channel,
    status: o.status,
    skipReason: null,
    provider: o.provider,
    error: o.error,
    duplicate: !o.attempted,
  }));
  for (const s of skipped)
    messages.push({
      id: skippedIds.get(s.key) ?? s.key,
      channel: s.channel,
      status: "skipped",
      skipReason: s.reason,
      provider: null,
      error: null,
      duplicate: false,
    });
  const sent = outcomes.filter((o) => o.status === "sent" || o.status === "delivered").length;
  const status = outcomes.length === 0 ? "skipped" : sent === outcomes.length ? "sent" : sent === 0 ? "failed" : "partial";
  return { sendId, status, messages };
}

export const templateDataJsonSchema = (id: TemplateId) => z.toJSONSchema(templateDef(id).data, { io: "input", unrepresentable: "any" });
