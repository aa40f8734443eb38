/**
 * What the identity services need from a request: the database, the env,
 * the outbox relay to run after a commit, and who is acting. Built once per
 * handler, so services stay plain functions that tests can call too.
 */
import type { Actor } from "../platform/events/envelope.ts";
import type { EventInput } from "../platform/events/contracts.ts";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import { dbOf, waitUntilOf, type AppContext } from "../platform/context.ts";
import type { Database } from "../platform/db.ts";
import type { Env } from "../platform/env.ts";

export interface Scope {
  db: Database;
  env: Env;
  afterCommit: (eventIds: string[]) => void;
  correlationId: string;
  actor: Actor | null;
}

export function scopeOf(c: AppContext): Scope {
  const principal = c.get("principal");
  return {
    db: dbOf(c),
    env: c.env,
    afterCommit: (ids) => relayAfterCommit(c.env, waitUntilOf(c), ids),
    correlationId: c.get("requestId"),
    actor: principal ? { type: principal.kind === "user" ? "user" : "service", id: principal.id } : null,
  };
}

/** The envelope fields every event of a scope shares. */
export function eventMeta<P>(scope: Scope, source: "users" | "auth", subjectId: string, payload: P): EventInput<P> {
  return { subjectId, source, correlationId: scope.correlationId, actor: scope.actor, payload };
}
