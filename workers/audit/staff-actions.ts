/**
 * Every change a member of staff makes through the API lands in the audit
 * trail under their user id, whatever the route: after a successful write
 * (POST, PUT, PATCH or DELETE answered 2xx) by a staff principal, the
 * gateway records a StaffActionTaken event (the route's template, its path
 * parameters and the status) with the request's actor and correlation id.
 * Domain events say what changed; this says who asked, also for the routes
 * whose changes have no event of their own (categories, discounts, promotion
 * codes, report schedules, backups, dead-letter replays, a mail sent again).
 * No body is recorded: path parameters are ids, never personal data.
 *
 * The change is already made when this runs (some live only in Durable
 * Objects and succeed while the database is out): a failure to record is
 * logged and counted, and the answer stays the route's own.
 */
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { StaffActionTaken } from "../../queues/contracts/events/staff.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { hasRole } from "../platform/auth.ts";
import type { AppEnv } from "../platform/context.ts";
import { errorFields, log } from "../platform/log.ts";
import { counter } from "../platform/metrics.ts";
import { eventFrom, scopeOf } from "../platform/scope.ts";

const unrecorded = counter("staff_actions_unrecorded_total", "Staff writes that succeeded but whose audit event could not be written");

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Writes that are not changes of data, or that have their own events naming the user (sessions, sign-in). */
const NOT_ACTIONS = [/^\/api\/auth\//, /^\/api\/audit\/verify$/];

type Method = "POST" | "PUT" | "PATCH" | "DELETE";

/** The entity the action concerns: the first path parameter, else the id of what a create answered, else the route. */
async function subjectOf(c: Context<AppEnv>, params: Record<string, string>, route: string): Promise<string> {
  const first = Object.values(params)[0];
  if (first) return first.slice(0, 128);
  if (c.res.headers.get("content-type")?.includes("json")) {
    const body = (await c.res
      .clone()
      .json()
      .catch(() => null)) as { id?: unknown } | null;
    if (typeof body?.id === "string") return body.id.slice(0, 128);
  }
  return route.slice(0, 128);
}

export const recordStaffActions: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const principal = c.get("principal");
  if (!WRITES.has(c.req.method) || c.res.status < 200 || c.res.status > 299) return;
  if (principal?.kind !== "user" || !hasRole(principal, "admin", "support", "analyst")) return;
  if (NOT_ACTIONS.some((re) => re.test(c.req.path))) return;
  const route = routePath(c, -1).replaceAll(/:(\w+)/g, "{$1}");
  const params = c.req.param() as Record<string, string>;
  const scope = scopeOf(c);
  const subjectId = await subjectOf(c, params, route);
  try {
    await transactionWithEvents(
      scope.db,
      (_tx, events) =>
        events.emit(
          StaffActionTaken,
          eventFrom(scope, "audit", subjectId, { method: c.req.method as Method, route, params, status: c.res.status }),
        ),
      scope.afterCommit,
    );
  } catch (err) {
    unrecorded.inc({ route });
    log.error("staff action not recorded in the audit trail", { route, actorId: principal.id, ...errorFields(err) });
  }
};
