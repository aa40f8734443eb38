/**
 * What the reviews services need from a request: the database, the env,
 * the relay to run after a commit, the caller, and the request's id and
 * time. Built once per handler, so services stay plain functions.
 */
import type { Actor } from "../platform/events/envelope.ts";
import type { EventInput } from "../platform/events/contracts.ts";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import { dbOf, waitUntilOf, type AppContext, type Principal } from "../platform/context.ts";
import type { Database } from "../platform/db.ts";
import type { Env } from "../platform/env.ts";

export interface ReviewScope {
  db: Database;
  env: Env;
  afterCommit: (eventIds: string[]) => void;
  correlationId: string;
  principal: Principal | null;
  now: Date;
}

export function scopeOf(c: AppContext): ReviewScope {
  return {
    db: dbOf(c),
    env: c.env,
    afterCommit: (ids) => relayAfterCommit(c.env, waitUntilOf(c), ids),
    correlationId: c.get("requestId"),
    principal: c.get("principal"),
    now: new Date(),
  };
}

function actorOf(p: Principal | null): Actor | null {
  return p ? { type: p.kind === "user" ? "user" : "service", id: p.id } : null;
}

/** The envelope fields of an event about a review. */
export function reviewEvent<P>(scope: ReviewScope, reviewId: string, payload: P): EventInput<P> {
  return { subjectId: reviewId, source: "reviews", correlationId: scope.correlationId, actor: actorOf(scope.principal), payload };
}
