/** Staff events: who changed data through the API (the audit family records every staff write). */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const StaffActionTaken = defineEvent({
  type: "StaffActionTaken",
  version: 1,
  topic: "maintenance",
  description:
    "A member of staff changed data through the API (any route, including those whose own events name no user): the route, its path parameters and the answer's status; the event's actor is the staff member.",
  payload: z.object({
    method: z.enum(["POST", "PUT", "PATCH", "DELETE"]),
    route: z.string().max(200),
    params: z.record(z.string(), z.string().max(200)),
    status: z.number().int().min(200).max(299),
  }),
});
