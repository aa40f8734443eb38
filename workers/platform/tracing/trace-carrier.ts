/**
 * The traceparent events inherit from where they are written: a database
 * opened by traced work (a request, a job run) carries it, and so does each
 * transaction it opens, so an event written in one (the outbox's
 * `writeEvent`) carries it across the queue hop without every producer
 * passing it by hand. A consumer marks its transaction with the event being
 * handled, so the events a handler writes continue that event's trace.
 */
const CAUSE = Symbol("causingTraceparent");

type Carrier = { [CAUSE]?: string };

/** Marks `target` (a database, a transaction) as written by work in the trace of `traceparent`. */
export function carryTraceparent<T extends object>(target: T, traceparent: string | undefined): T {
  if (traceparent) Object.defineProperty(target, CAUSE, { value: traceparent, configurable: true, writable: true });
  else if ((target as Carrier)[CAUSE]) (target as Carrier)[CAUSE] = undefined;
  return target;
}

export function carriedTraceparent(target: object): string | undefined {
  return (target as Carrier)[CAUSE];
}

/** A database whose transactions carry its traceparent (the drizzle `transaction` wrapped once). */
export function traceTransactions(db: { transaction: (...args: never[]) => unknown }, traceparent: string): void {
  carryTraceparent(db, traceparent);
  const transaction = db.transaction.bind(db) as (fn: (tx: object) => unknown, ...rest: unknown[]) => unknown;
  db.transaction = ((fn: (tx: object) => unknown, ...rest: unknown[]) =>
    transaction((tx) => fn(carryTraceparent(tx, traceparent)), ...rest)) as typeof db.transaction;
}
