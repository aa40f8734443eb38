/**
 * Every change a member of staff makes through the API lands in the audit
 * trail under their user id, whatever the route, and so does every write
 * they attempt. For a write (POST, PUT, PATCH or DELETE) by a staff
 * principal, the gateway records:
 *
 * 1. before the route runs, a StaffActionAttempted event (the route's
 *    template, its path parameters, the request's actor and correlation id).
 *    If it cannot be written the write is refused with 503 and the route
 *    never runs: no change is made that the trail could miss;
 * 2. after the route, its outcome: StaffActionTaken for a 2xx answer (as
 *    before), StaffActionFailed otherwise, with the status and the attempt's
 *    id. A failure to write the outcome is logged and counted, and the answer
 *    stays the route's own: the attempt is already in the trail, where the
 *    audit API shows it as "outcome unknown".
 *
 * Each is one insert into the outbox (one statement, no transaction), and
 * both are published together after the route. Customers' requests and the
 * operations token cost nothing here. No body is recorded: path parameters
 * are ids, never personal data. Domain events say what changed; this says
 * who asked, also for the routes whose changes have no event of their own.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { StaffActionAttempted, StaffActionFailed, StaffActionTaken } from "../../queues/contracts/events/staff.ts";
import { writeEvent } from "../../queues/outbox/outbox.ts";
import { hasRole } from "../platform/auth.ts";
import type { AppEnv } from "../platform/context.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { ApiError } from "../platform/errors.ts";
import { failIfInjected } from "../platform/faults.ts";
import { errorFields, log } from "../platform/log.ts";
import { counter } from "../platform/metrics.ts";
import { eventFrom, scopeOf } from "../platform/scope.ts";
import { AuditErrors } from "./errors.ts";
import { handlerPath, isAuditedWrite, paramsOf, routeTemplate } from "./staff-action-rules.ts";

const unrecorded = counter(
  "staff_actions_unrecorded_total",
  "Staff writes whose outcome could not be written to the audit trail (their attempt is there, outcome unknown)",
);
const refused = counter(
  "staff_actions_refused_total",
  "Staff writes refused because their attempt could not be written to the audit trail",
);

/** Fault points (FAULT_INJECTION=on), keyed by the staff member's user id. */
export const ATTEMPT_FAULT = "audit.staff-attempt";
export const OUTCOME_FAULT = "audit.staff-outcome";

/** The entity the outcome concerns: the first path parameter, else the id of what a create answered, else the route. */
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
  const principal = c.get("principal");
  const method = c.req.method;
  if (principal?.kind !== "user" || !hasRole(principal, "admin", "support", "analyst") || !isAuditedWrite(method, c.req.path)) {
    return next();
  }
  // No route matched: the answer is 404 and nothing can change.
  const routerPath = handlerPath(matchedRoutes(c));
  if (routerPath === null) return next();
  const route = routeTemplate(routerPath);
  const params = paramsOf(routerPath, c.req.path);
  const scope = scopeOf(c);

  let attemptId: string;
  try {
    await failIfInjected(c.env, scope.db, ATTEMPT_FAULT, principal.id);
    const subjectId = (Object.values(params)[0] ?? route).slice(0, 128);
    attemptId = (await writeEvent(scope.db, StaffActionAttempted, eventFrom(scope, "audit", subjectId, { method, route, params }))).id;
  } catch (err) {
    refused.inc({ route });
    log.error("staff action refused: its attempt could not be recorded in the audit trail", {
      route,
      actorId: principal.id,
      ...errorFields(err),
    });
    if (isDatabaseUnavailable(err)) throw err;
    throw new ApiError(AuditErrors.STAFF_AUDIT_UNAVAILABLE, "The audit trail could not record this action, so it was not carried out", {
      headers: { "retry-after": "1" },
    });
  }

  await next();

  const status = c.res.status;
  const published = [attemptId];
  try {
    await failIfInjected(c.env, scope.db, OUTCOME_FAULT, principal.id);
    const subjectId = await subjectOf(c, params, route);
    const outcome = { method, route, params, status, attemptId };
    const input = eventFrom(scope, "audit", subjectId, outcome);
    const event =
      status >= 200 && status <= 299
        ? await writeEvent(scope.db, StaffActionTaken, input)
        : await writeEvent(scope.db, StaffActionFailed, input);
    published.push(event.id);
  } catch (err) {
    unrecorded.inc({ route });
    log.error("staff action outcome not recorded in the audit trail", { route, actorId: principal.id, ...errorFields(err) });
  }
  scope.afterCommit(published);
};
