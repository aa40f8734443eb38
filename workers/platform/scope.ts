/**
 * The request scope: what a family's service needs from a request, built
 * once per handler so services stay plain functions that tests can call
 * too. Jobs and consumers build the same shape from their own context.
 */

import { type AppContext, dbOf, type Principal, waitUntilOf } from "./context.ts";
import type { Database } from "./db.ts";
import type { EventInput } from "./event-contracts.ts";
import type { Actor } from "./event-envelope.ts";
import type { Runtime } from "./runtime.ts";
import { traceparentOf } from "./tracing/request-tracing.ts";

export interface Scope {
  rt: Runtime;
  db: Database;
  principal: Principal | null;
  actor: Actor | null;
  /** Ties together everything the request causes: its request id. */
  correlationId: string;
  traceId: string;
  /** With tracing on, the request's W3C traceparent: events it causes carry it across the queue hop. */
  traceparent?: string;
  now: Date;
  /** The publishing strategy: events committed to the outbox are relayed after the transaction. */
  afterCommit: (eventIds: string[]) => void;
  waitUntil: (p: Promise<unknown>) => void;
}

export function actorOf(principal: Principal | null): Actor | null {
  return principal ? { type: principal.kind === "user" ? "user" : "service", id: principal.id } : null;
}

export function scopeOf(c: AppContext): Scope {
  const principal = c.get("principal");
  return {
    rt: c.env,
    get db() {
      return dbOf(c);
    },
    principal,
    actor: actorOf(principal),
    correlationId: c.get("requestId"),
    traceId: c.get("traceId"),
    traceparent: traceparentOf(c.env),
    now: c.env.clock.now(),
    afterCommit: c.get("afterCommit"),
    waitUntil: waitUntilOf(c),
  };
}

/** The envelope fields of an event caused by this scope. */
export function eventFrom<P>(
  scope: Pick<Scope, "correlationId" | "actor" | "traceparent">,
  source: string,
  subjectId: string,
  payload: P,
): EventInput<P> {
  const input: EventInput<P> = { subjectId, source, correlationId: scope.correlationId, actor: scope.actor, payload };
  if (scope.traceparent) input.traceparent = scope.traceparent;
  return input;
}
