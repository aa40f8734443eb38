/** The Hono environment shared by every route family. */
import type { Context } from "hono";
import { type Database, type DbHandle, openDb } from "./db.ts";
import type { JobRegistry } from "./job.ts";
import type { Runtime } from "./runtime.ts";
import type { RequestCost } from "./server-timing.ts";

export const ROLES = ["customer", "support", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  kind: "user" | "service";
  roles: Role[];
}

export interface AppVariables {
  requestId: string;
  traceId: string;
  spanId: string;
  principal: Principal | null;
  dbHandle: DbHandle | undefined;
  /** The request's round trips, when COST_HEADERS is on. */
  cost: RequestCost | undefined;
  /** The publishing strategy: hands ids of events committed to the outbox to the relay. */
  afterCommit: (eventIds: string[]) => void;
  /** Every family's jobs (the scheduler's routes list and start them). */
  jobs: JobRegistry;
}

/** `c.env` is the Runtime (the ports), built by the Worker entry of each runtime. */
export type AppEnv = { Bindings: Runtime; Variables: AppVariables };
export type AppContext = Context<AppEnv>;

/** The request's database, opened on first use and closed when the request ends. */
export function dbOf(c: AppContext): Database {
  let handle = c.get("dbHandle");
  if (!handle) {
    handle = openDb(c.env, c.get("cost"));
    c.set("dbHandle", handle);
  }
  return handle.db;
}

/** waitUntil when there is an execution context (always in workerd; not in some unit tests). */
export function waitUntilOf(c: AppContext): (p: Promise<unknown>) => void {
  return (p) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      void p;
    }
  };
}
