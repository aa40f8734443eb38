/**
 * A route family as a module: everything the composition root needs to
 * mount it, in one value exported by `workers/<family>/index.ts`. The root
 * (workers/families.ts) lists the families; the gateway mounts their routes,
 * the scheduler registers their jobs, the consumer framework builds each
 * consumer group from their subscriptions, and the error registry and the
 * configuration check take their catalogues and settings.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { TokenResolver } from "./auth.ts";
import type { ConfigSection } from "./config.ts";
import type { AppEnv } from "./context.ts";
import type { ErrorCatalog } from "./errors.ts";
import type { EventContract } from "./event-contracts.ts";
import type { Subscription } from "./event-handlers.ts";
import type { Job } from "./job.ts";

export interface Family {
  /** The family's name: its folder under workers/ and, by default, its Postgres schema. */
  name: string;
  /**
   * The Postgres schemas the family owns (db/schema/<schema>.ts): only its code touches their tables.
   * Schemas keep their data names (products owns `catalog`), since renaming one is a data migration.
   */
  schemas?: readonly string[];
  /** Mount path (for example `/api/orders`) to the family's Hono sub-app. */
  routes?: Record<`/api/${string}`, OpenAPIHono<AppEnv>>;
  /** Scheduled jobs, started by cron triggers and by name by admins. */
  jobs?: readonly Job[];
  /** Per consumer group (see queues/routing.ts), the events this family handles there. */
  handlers?: Readonly<Record<string, readonly Subscription[]>>;
  /** The event contracts this family publishes (it is their only producer). */
  contracts?: readonly EventContract[];
  /** The family's error codes. */
  errors?: ErrorCatalog;
  /** The vars and secrets the family reads. */
  config?: ConfigSection;
  /**
   * Middleware the gateway runs on every `/api/*` request after authentication
   * (so the caller is known) and before the routes: rate limits, outage reports.
   */
  gatewayMiddleware?: readonly MiddlewareHandler<AppEnv>[];
  /** Turns a bearer token this family issued into a principal (identity). */
  tokenResolver?: TokenResolver;
}

export function defineFamily<const F extends Family>(family: F): F {
  return family;
}
