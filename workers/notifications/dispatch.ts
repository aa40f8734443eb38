/**
 * Sends composed messages, a few at a time: claims each one's delivery
 * record, tries the channel's providers in order (failover on transient
 * errors; a permanent error, such as an invalid address, stops there), and
 * records the outcome and every provider call. Returns which messages still need a retry; the
 * consumer turns those into a queue retry with exponential backoff, and
 * after the queue's retry limit the event lands in the dead-letter queue.
 */
import { type DeliveryStatus, suppressions } from "../../db/schema/notifications.ts";
import type { Database } from "../platform/db.ts";
import { failIfInjected } from "../platform/faults.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { guardedSend, isInjected } from "./channel-guard.ts";
import type { Outgoing } from "./compose.ts";
import { type AttemptLog, claim, finishAttempt } from "./deliveries.ts";
import { type ProviderChains, providerChains } from "./provider-chains.ts";
import { asProviderError, type Provider, type ProviderError, type SendResult } from "./providers/types.ts";
import { forgetEndpoint } from "./push-subscriptions.ts";

export interface DispatchOutcome {
  deliveryId: string;
  channel: Outgoing["channel"];
  /** `in_flight`: another worker holds the record right now. */
  status: DeliveryStatus | "in_flight";
  /** Whether the message still has to go out (a transient failure, or in flight elsewhere). */
  retry: boolean;
  /** False when the record already existed in a final state (a duplicate). */
  attempted: boolean;
  provider: string | null;
  providerMessageId: string | null;
  error: string | null;
}

/** A fault point (FAULT_INJECTION): a crash after a provider took the message, before its record is updated. */
export const AFTER_SEND_FAULT_POINT = "notifications:after-send";

async function sendOne(
  db: Database,
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  chains: ProviderChains,
  m: Outgoing,
): Promise<DispatchOutcome> {
  const taken = await claim(db, m);
  const row = taken.row;
  const outcome = {
    deliveryId: row.id,
    channel: m.channel,
    provider: row.provider,
    providerMessageId: row.providerMessageId,
    error: row.lastError,
  };
  if (!taken.claimed) {
    const inFlight = row.status === "queued";
    return { ...outcome, status: inFlight ? "in_flight" : row.status, retry: inFlight, attempted: false };
  }

  const providers = chains[m.channel] as Provider[];
  const logs: AttemptLog[] = [];
  let sent: { provider: Provider; result: SendResult } | undefined;
  let failure: ProviderError | undefined;
  // The providers in order, each behind its own circuit: one whose circuit is open fails over at once.
  for (const provider of providers) {
    const started = Date.now();
    try {
      const result = await guardedSend(rt, db, m.channel, provider.name, () =>
        provider.send(m.message, {
          idempotencyKey: m.key,
          deliveryId: row.id,
          template: m.template,
          userId: m.userId,
        }),
      );
      logs.push({ provider: provider.name, outcome: "sent", httpStatus: null, error: null, durationMs: Date.now() - started });
      sent = { provider, result };
      break;
    } catch (err) {
      failure = asProviderError(err);
      logs.push({
        provider: provider.name,
        outcome: "failed",
        httpStatus: failure.info.status ?? null,
        error: failure.message.slice(0, 500),
        durationMs: Date.now() - started,
      });
      log.warn("notification.provider_failed", {
        deliveryId: row.id,
        provider: provider.name,
        channel: m.channel,
        permanent: failure.info.permanent,
        error: failure.message.slice(0, 200),
        injected: isInjected(err),
      });
      if (failure.info.permanent) break;
    }
  }

  if (sent) {
    await failIfInjected(rt, db, AFTER_SEND_FAULT_POINT, m.recipient.address);
    await finishAttempt(db, row, logs, {
      status: "sent",
      provider: sent.provider.name,
      providerMessageId: sent.result.providerMessageId,
      idempotent: sent.result.idempotent,
      pushEndpoint: m.channel === "push" ? m.recipient.address : undefined,
    });
    return {
      ...outcome,
      status: "sent",
      retry: false,
      attempted: true,
      provider: sent.provider.name,
      providerMessageId: sent.result.providerMessageId,
      error: null,
    };
  }
  const error = failure?.message ?? `no ${m.channel} provider configured`;
  await finishAttempt(db, row, logs, { status: "failed", error });
  if (failure?.info.gone) await forgetEndpoint(db, m.recipient.address);
  if (failure?.info.unsubscribed) {
    await db
      .insert(suppressions)
      .values({ channel: m.channel, recipientHash: m.recipient.hash, reason: "unsubscribed", deliveryId: row.id })
      .onConflictDoNothing();
  }
  return { ...outcome, status: "failed", retry: !failure?.info.permanent, attempted: true, error };
}

/** Messages in flight at once: an event's channels go out side by side; staff broadcasts do not flood the providers. */
const CONCURRENCY = 4;

/** `db` must not be inside a transaction that can roll back after the sends (see deliveries.ts). */
export async function dispatch(
  db: Database,
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  messages: Outgoing[],
): Promise<DispatchOutcome[]> {
  const chains = providerChains(rt, db);
  const results: PromiseSettledResult<DispatchOutcome>[] = new Array(messages.length);
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const i = next++;
      results[i] = await sendOne(db, rt, chains, messages[i]!).then(
        (value) => ({ status: "fulfilled" as const, value }),
        (reason: unknown) => ({ status: "rejected" as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, messages.length) }, lane));
  // Every lane has finished before a failure propagates, so nothing runs on after the handler gave up.
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<DispatchOutcome>).value);
}
