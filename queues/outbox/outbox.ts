/**
 * The transactional outbox. An event is written in the caller's transaction,
 * so it commits or rolls back with the change it announces. After commit the
 * relay publishes it (relay.ts); the cron sweep publishes whatever a crash
 * left behind.
 */
import type { z } from "zod";
import { outbox } from "../../db/schema/events.ts";
import type { Database, Queryable, Tx } from "../../workers/platform/db.ts";
import { buildEvent, type EventContract, type EventInput } from "../../workers/platform/event-contracts.ts";
import type { Envelope } from "../../workers/platform/event-envelope.ts";
import { carriedTraceparent } from "../../workers/platform/tracing/trace-carrier.ts";

/**
 * Writes one event into the outbox within `tx`. Without a traceparent of
 * its own, the event carries the one of the traced work whose database or
 * transaction it is written in (a job run, a consumer handling an event).
 */
export async function writeEvent<T extends string, S extends z.ZodType>(
  tx: Queryable,
  contract: EventContract<T, S>,
  input: EventInput<z.input<S>>,
): Promise<Envelope<z.output<S>>> {
  const cause = input.traceparent ? undefined : carriedTraceparent(tx);
  const envelope = buildEvent(contract, cause ? { ...input, traceparent: cause } : input);
  await tx.insert(outbox).values({ id: envelope.id, topic: envelope.topic, type: envelope.type, envelope });
  return envelope;
}

export interface EventSink {
  emit<T extends string, S extends z.ZodType>(contract: EventContract<T, S>, input: EventInput<z.input<S>>): Promise<Envelope<z.output<S>>>;
}

/**
 * Runs `fn` in one transaction in which it may emit events; after the commit
 * the emitted ids go to `afterCommit` (the relay). A rollback emits nothing.
 */
export async function transactionWithEvents<T>(
  db: Database,
  fn: (tx: Tx, events: EventSink) => Promise<T>,
  afterCommit: (eventIds: string[]) => void,
): Promise<T> {
  const emitted: string[] = [];
  const result = await db.transaction(async (tx) => {
    const sink: EventSink = {
      async emit(contract, input) {
        const envelope = await writeEvent(tx, contract, input);
        emitted.push(envelope.id);
        return envelope;
      },
    };
    return fn(tx, sink);
  });
  afterCommit(emitted);
  return result;
}
