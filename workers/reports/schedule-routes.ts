/** /api/reports/schedules: report subscriptions of staff users (admins manage anyone's; others their own). */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import type { AppEnv } from "../platform/context.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { cancelSchedule, createSchedule, listSchedules, scheduleView } from "./schedules.ts";
import { ScheduleBody, ScheduleList, ScheduleParam, ScheduleSchema } from "./schemas.ts";

const security = [{ bearer: [] }];
const tags = ["Reports"];

const createScheduleRoute = createRoute({
  method: "post",
  path: "/",
  tags,
  security,
  middleware: [requireRole("admin", "analyst", "support")] as const,
  summary: "Subscribe a staff user to a report every day, week or month",
  description:
    "The report is cut for the subscriber's role and mailed (links to each file, in the subscriber's locale) an hour after each period ends. Only admins subscribe someone else. Parameters leave out `from` and `to`: each firing covers the period that just ended.",
  request: { body: { content: { "application/json": { schema: ScheduleBody } }, required: true } },
  responses: { 201: jsonContent(ScheduleSchema, "The schedule"), ...pick(401, 403, 422) },
});

const listSchedulesRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  security,
  middleware: [requireRole("admin", "analyst", "support")] as const,
  summary: "Active report subscriptions (the caller's; every one for admins)",
  responses: { 200: jsonContent(ScheduleList, "Schedules"), ...pick(401, 403) },
});

const cancelScheduleRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  security,
  middleware: [requireRole("admin", "analyst", "support")] as const,
  summary: "End a subscription (its subscriber or an admin)",
  request: { params: ScheduleParam },
  responses: { 204: { description: "Ended" }, ...pick(401, 403, 404, 422) },
});

export const scheduleRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
scheduleRoutes
  .openapi(createScheduleRoute, async (c) => {
    const scope = scopeOf(c);
    const row = await createSchedule(scope.db, scope.principal!, c.req.valid("json"), scope.now);
    return c.json(scheduleView(row), 201);
  })
  .openapi(listSchedulesRoute, async (c) => {
    const scope = scopeOf(c);
    return c.json({ schedules: (await listSchedules(scope.db, scope.principal!)).map(scheduleView) }, 200);
  })
  .openapi(cancelScheduleRoute, async (c) => {
    const scope = scopeOf(c);
    await cancelSchedule(scope.db, scope.principal!, c.req.valid("param").id);
    return c.body(null, 204);
  });
