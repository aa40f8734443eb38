/**
 * The local capture provider: the development default and the fallback of
 * every channel without configured credentials. It "sends" by storing the
 * complete message in notifications.captured_messages, where
 * `GET /api/notifications/outbox` shows it. Like a real provider it honours
 * the idempotency key (a second call stores nothing), and in tests its
 * failures can be injected (`notifications:provider` / `<name>:<recipient>`).
 */
import { and, eq, sql } from "drizzle-orm";
import { capturedMessages } from "../../../db/schema/notifications.ts";
import { decodeCursor, keysetPage } from "../../platform/cursor.ts";
import type { Database } from "../../platform/db.ts";
import { failIfInjected } from "../../platform/faults.ts";
import { newId } from "../../platform/ids.ts";
import type { Runtime } from "../../platform/runtime.ts";
import type { Channel } from "../templates/catalog.ts";
import { type MessageByChannel, type Provider, ProviderError } from "./types.ts";

export const CAPTURE_FAULT_POINT = "notifications:provider";

async function digestHex(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

interface Described {
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  data: Record<string, unknown> | null;
}

function describe(channel: Channel, message: MessageByChannel[Channel]): Described {
  if (channel === "email") {
    const m = message as MessageByChannel["email"];
    return { recipient: m.to, subject: m.subject, text: m.text, html: m.html, data: null };
  }
  if (channel === "sms") {
    const m = message as MessageByChannel["sms"];
    return { recipient: m.to, subject: null, text: m.body, html: null, data: null };
  }
  const m = message as MessageByChannel["push"];
  const payload = JSON.parse(m.payload) as { title?: string; body?: string };
  return {
    recipient: m.endpoint,
    subject: payload.title ?? null,
    text: payload.body ?? "",
    html: null,
    data: { payload, ttlSeconds: m.ttlSeconds, urgency: m.urgency },
  };
}

export function captureProvider<C extends Channel>(channel: C, name: string, db: Database, rt: Pick<Runtime, "vars">): Provider<C> {
  return {
    name,
    kind: "capture",
    channel,
    async send(message, ctx) {
      const m = describe(channel, message);
      // Attachments are kept as what identifies them (name, type, size, SHA-256), not their bytes.
      const attachments = channel === "email" ? (message as MessageByChannel["email"]).attachments : undefined;
      if (attachments?.length)
        m.data = {
          attachments: await Promise.all(
            attachments.map(async (a) => ({
              filename: a.filename,
              contentType: a.contentType,
              bytes: a.content.byteLength,
              sha256: await digestHex(a.content),
            })),
          ),
        };
      try {
        await failIfInjected(rt, db, CAPTURE_FAULT_POINT, `${name}:${m.recipient}`);
      } catch (err) {
        // The cause says it was a test's fault point, which does not count against the channel's circuit.
        throw Object.assign(
          new ProviderError(`${name}: ${err instanceof Error ? err.message : String(err)}`, { permanent: false, status: 503 }),
          {
            cause: err,
          },
        );
      }
      const [row] = await db
        .insert(capturedMessages)
        .values({
          id: newId("cap"),
          provider: name,
          channel,
          idempotencyKey: ctx.idempotencyKey,
          deliveryId: ctx.deliveryId,
          userId: ctx.userId,
          ...m,
        })
        .onConflictDoNothing({ target: [capturedMessages.provider, capturedMessages.idempotencyKey] })
        .returning({ id: capturedMessages.id });
      if (row) return { providerMessageId: row.id, idempotent: true };
      const [existing] = await db
        .select({ id: capturedMessages.id })
        .from(capturedMessages)
        .where(and(eq(capturedMessages.provider, name), eq(capturedMessages.idempotencyKey, ctx.idempotencyKey)));
      return { providerMessageId: existing?.id ?? null, idempotent: true };
    },
  };
}

/** What the capture provider kept, newest first; the cursor's key is the last message's id. */
const CAPTURED_SORT = "notifications-outbox:newest";

export async function listCaptured(db: Database, filter: { recipient?: string; channel?: Channel; limit: number; cursor?: string }) {
  const [before] = filter.cursor ? decodeCursor(filter.cursor, CAPTURED_SORT, ["string"]) : [];
  const rows = await db
    .select()
    .from(capturedMessages)
    .where(
      and(
        filter.recipient ? eq(capturedMessages.recipient, filter.recipient) : undefined,
        filter.channel ? eq(capturedMessages.channel, filter.channel) : undefined,
        before !== undefined ? sql`${capturedMessages.id} < ${before}` : undefined,
      ),
    )
    .orderBy(sql`${capturedMessages.id} desc`)
    .limit(filter.limit + 1);
  const { page, nextCursor } = keysetPage(rows, filter.limit, CAPTURED_SORT, (r) => [r.id]);
  return { items: page, nextCursor };
}
