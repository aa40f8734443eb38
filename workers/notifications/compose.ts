/**
 * From a plan to messages: resolve the audience, decide per recipient and
 * channel (preferences, addresses, suppressions), render each message in the
 * recipient's locale, and derive its idempotency key from (source, channel,
 * recipient). Reads only; the caller records skips and dispatches the rest.
 */
import type { Queryable } from "../platform/db.ts";
import { sha256Hex } from "./crypto/bytes.ts";
import { decide, type SkipReason } from "./preferences.ts";
import type { EmailAttachment, MessageByChannel } from "./providers/types.ts";
import { loadReach } from "./push-subscriptions.ts";
import type { Plan } from "./rules.ts";
import { type PushTarget, resolveTargets, type Target } from "./targets.ts";
import { type Category, type Channel, type TemplateId, templateDef } from "./templates/catalog.ts";
import { renderMessage, resolveLocale } from "./templates/render.ts";

export interface Source {
  /** The event id, or the id of an admin send. */
  id: string;
  /** The event type, or `AdminSend`. */
  type: string;
}

interface Recipient {
  address: string;
  masked: string;
  hash: string;
}

interface Common {
  key: string;
  source: Source;
  template: TemplateId;
  category: Category;
  channel: Channel;
  locale: string;
  userId: string | null;
  recipient: Recipient;
}

export interface Outgoing extends Common {
  subject: string | null;
  message: MessageByChannel[Channel];
  pushSubscriptionId?: string;
}

export interface Skipped extends Common {
  reason: SkipReason;
}

export function normalizeAddress(channel: Channel, address: string): string {
  if (channel === "email") return address.trim().toLowerCase();
  if (channel === "sms") return address.replace(/[\s().-]/g, "");
  return address;
}

export function maskAddress(channel: Channel, address: string): string {
  if (channel === "email") {
    const [local = "", domain = ""] = address.split("@");
    const dot = domain.lastIndexOf(".");
    return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${dot > 0 ? domain.slice(dot) : ""}`;
  }
  if (channel === "sms") return address.length > 5 ? `${address.slice(0, 3)}${"*".repeat(address.length - 5)}${address.slice(-2)}` : "***";
  try {
    return new URL(address).hostname;
  } catch {
    return "push";
  }
}

export const recipientHash = (channel: Channel, address: string) => sha256Hex(`${channel}:${normalizeAddress(channel, address)}`);
export const idempotencyKey = (source: Source, channel: Channel, address: string) =>
  sha256Hex(`${source.id}|${channel}|${normalizeAddress(channel, address)}`);

type Address = { address: string; pushId?: string; keys?: { p256dh: string; auth: string } };

function addressesOf(target: Target, channel: Channel, push: PushTarget[]): Address[] {
  if (channel === "email") return target.email ? [{ address: target.email }] : [];
  if (channel === "sms") return target.phone ? [{ address: target.phone }] : [];
  return push
    .filter((p) => p.userId === target.userId)
    .map((p) => ({ address: p.endpoint, pushId: p.id, keys: { p256dh: p.p256dh, auth: p.auth } }));
}

const URGENT: Partial<Record<TemplateId, true>> = { "password-changed": true, "payment-failed": true };

export interface ComposeOptions {
  /** Only these of the template's channels. */
  channels?: Channel[];
  /** For templates whose category the sender chooses. */
  category?: Category;
  /** Instead of each recipient's own locale. */
  locale?: string;
  storefrontUrl: string;
  /** Files sent with the email messages (other channels carry none). */
  attachments?: EmailAttachment[];
}

export async function compose(
  db: Queryable,
  source: Source,
  plan: Plan,
  options: ComposeOptions,
): Promise<{ outgoing: Outgoing[]; skipped: Skipped[] }> {
  const def = templateDef(plan.template);
  const data = def.data.parse(plan.data);
  const category: Category = def.category ?? options.category ?? "transactional";
  const channels = def.channels.filter((c) => !options.channels || options.channels.includes(c));
  const targets = await resolveTargets(db, plan.audience);
  if (targets.length === 0) return { outgoing: [], skipped: [] };

  // Mail and SMS recipients' hashes are known now; push endpoints come with the suppressions in one query.
  const hashes = new Map<string, string>();
  for (const t of targets) {
    for (const channel of ["email", "sms"] as const) {
      const a = addressesOf(t, channel, [])[0];
      if (a && channels.includes(channel)) hashes.set(`${channel}:${a.address}`, await recipientHash(channel, a.address));
    }
  }
  const reach = await loadReach(
    db,
    targets.map((t) => t.userId),
    [...new Set(hashes.values())],
    channels.includes("push"),
  );

  const candidates: ({ target: Target; channel: Channel; hash: string } & Address)[] = [];
  for (const target of targets) {
    for (const channel of channels) {
      for (const a of addressesOf(target, channel, reach.push))
        candidates.push({
          target,
          channel,
          ...a,
          hash: hashes.get(`${channel}:${a.address}`) ?? (await recipientHash(channel, a.address)),
        });
    }
  }
  const suppressed = reach.suppressed;

  const outgoing: Outgoing[] = [];
  const skipped: Skipped[] = [];
  for (const c of candidates) {
    const { target, channel, address } = c;
    const decision = decide({
      channel,
      category,
      hasAddress: true,
      preferences: target.preferences,
      emailVerified: target.emailVerified,
      suppressed: suppressed.has(`${channel}:${c.hash}`),
    });
    const common: Common = {
      key: await idempotencyKey(source, channel, address),
      source,
      template: plan.template,
      category,
      channel,
      locale: resolveLocale(options.locale ?? target.locale),
      userId: target.userId,
      recipient: { address, masked: maskAddress(channel, address), hash: c.hash },
    };
    if (!decision.send) {
      if (decision.record) skipped.push({ ...common, reason: decision.reason });
      continue;
    }
    const { locale, rendered } = renderMessage(plan.template, channel, data, {
      locale: options.locale ?? target.locale,
      name: target.name,
      storefrontUrl: options.storefrontUrl,
    });
    common.locale = locale;
    if (rendered.channel === "email")
      outgoing.push({
        ...common,
        subject: rendered.subject,
        message: {
          to: address,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          ...(options.attachments?.length ? { attachments: options.attachments } : {}),
        },
      });
    else if (rendered.channel === "sms") outgoing.push({ ...common, subject: null, message: { to: address, body: rendered.body } });
    else
      outgoing.push({
        ...common,
        subject: rendered.title,
        pushSubscriptionId: c.pushId,
        message: {
          endpoint: address,
          p256dh: c.keys!.p256dh,
          auth: c.keys!.auth,
          payload: JSON.stringify({ title: rendered.title, body: rendered.body, url: rendered.url, tag: plan.template }),
          ttlSeconds: 24 * 3600,
          urgency: URGENT[plan.template] ? "high" : "normal",
        },
      });
  }
  return { outgoing, skipped };
}
