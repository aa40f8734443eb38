/**
 * Staff events: who changed data through the API (the audit family records every staff write).
 * A staff write is recorded twice: its attempt before the route runs (refused if that cannot be
 * written), and its outcome after, pointing at the attempt. An attempt with no outcome is a
 * write whose result is unknown (the isolate died, or the outcome could not be written).
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

const Method = z.enum(["POST", "PUT", "PATCH", "DELETE"]);
const Route = z.string().max(200);
const Params = z.record(z.string(), z.string().max(200));
/** The StaffActionAttempted event this outcome closes (absent on outcomes recorded before attempts were). */
const AttemptId = z.string().max(64).optional();

export const StaffActionAttempted = defineEvent({
  type: "StaffActionAttempted",
  version: 1,
  topic: "maintenance",
  description:
    "A member of staff sent a write (any route): recorded before the route runs, so the request is in the trail even if its outcome never is; the event's actor is the staff member, its correlation id the request's.",
  payload: z.object({ method: Method, route: Route, params: Params }),
});

export const StaffActionTaken = defineEvent({
  type: "StaffActionTaken",
  version: 1,
  topic: "maintenance",
  description:
    "A member of staff changed data through the API (any route, including those whose own events name no user): the route, its path parameters and the answer's status; the event's actor is the staff member.",
  payload: z.object({
    method: Method,
    route: Route,
    params: Params,
    status: z.number().int().min(200).max(299),
    attemptId: AttemptId,
  }),
});

export const StaffActionFailed = defineEvent({
  type: "StaffActionFailed",
  version: 1,
  topic: "maintenance",
  description:
    "A write a member of staff sent was answered outside 2xx (refused: a role, a validation, a conflict; or failed): the route, its path parameters and the status; the event's actor is the staff member.",
  payload: z.object({
    method: Method,
    route: Route,
    params: Params,
    status: z.number().int().min(300).max(599),
    attemptId: AttemptId,
  }),
});
