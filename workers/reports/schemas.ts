/** Request and response schemas of /api/reports. */
import { z } from "@hono/zod-openapi";
import { ACCESS_LEVELS, FREQUENCIES, REPORT_FORMATS, RUN_STATUSES } from "../../db/schema/reports.ts";
import { cursorParam, LimitQuery } from "../platform/http-schemas.ts";

const RunId = z
  .string()
  .regex(/^rpt_[0-9A-Z]{26}$/, "a report run id")
  .openapi({ example: "rpt_01JQ8Z5V6N2S4H7XKQ3M9T0B1C" });
export const RunParam = z.object({ id: RunId.openapi({ param: { name: "id", in: "path" } }) });
export const ScheduleParam = z.object({
  id: z
    .string()
    .regex(/^rps_[0-9A-Z]{26}$/, "a report schedule id")
    .openapi({ param: { name: "id", in: "path" } }),
});
const DefinitionId = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9-]+$/, "a definition id")
  .openapi({ example: "sales-weekly" });
const Formats = z.array(z.enum(REPORT_FORMATS)).min(1).max(3).default(["csv", "xlsx", "pdf"]).openapi({ description: "Files to produce" });
const Params = z
  .record(z.string().max(40), z.unknown())
  .default({})
  .openapi({ description: "The definition's parameters (see GET /api/reports/definitions)", example: { currency: "USD" } });

export const RunRequestBody = z.strictObject({ definition: DefinitionId, params: Params, formats: Formats }).openapi("ReportRunRequest");

export const RunsQuery = z.object({ definition: DefinitionId.optional(), limit: LimitQuery, cursor: cursorParam });

export const FileParam = z.object({
  id: RunId.openapi({ param: { name: "id", in: "path" } }),
  format: z.enum(REPORT_FORMATS).openapi({ param: { name: "format", in: "path" } }),
});
export const FileQuery = z.object({
  expires: z.coerce.number().int().min(0).max(100_000_000_000).openapi({ description: "Expiry, unix seconds" }),
  sig: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "a hex signature")
    .openapi({ description: "HMAC-SHA256 of the link" }),
});

const Download = z.object({ url: z.string(), bytes: z.number().int(), sha256: z.string(), expiresAt: z.string() });
export const RunSchema = z
  .object({
    id: z.string(),
    definition: z.string(),
    params: z.record(z.string(), z.unknown()),
    formats: z.array(z.enum(REPORT_FORMATS)),
    access: z.enum(ACCESS_LEVELS),
    requestedBy: z.string().nullable(),
    scheduleId: z.string().nullable(),
    status: z.enum(RUN_STATUSES),
    progress: z.number().int().openapi({ description: "0 to 100" }),
    attempts: z.number().int(),
    rowCount: z.number().int().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    purgedAt: z.string().nullable(),
    downloads: z.object({ csv: Download.optional(), xlsx: Download.optional(), pdf: Download.optional() }),
  })
  .openapi("ReportRun");
export const RunStarted = RunSchema.extend({ reused: z.boolean() }).openapi("ReportRunStarted");
export const RunList = z.object({ runs: z.array(RunSchema), nextCursor: z.string().nullable() }).openapi("ReportRuns");

export const DefinitionList = z
  .object({
    definitions: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        description: z.string(),
        access: z.array(z.enum(ACCESS_LEVELS)),
        defaultPeriod: z.enum(["day", "week", "month"]).openapi({ description: "The last complete span, when no from/to is given" }),
        params: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the parameters" }),
      }),
    ),
  })
  .openapi("ReportDefinitions");

export const ScheduleBody = z
  .strictObject({
    definition: DefinitionId,
    params: Params,
    formats: Formats,
    frequency: z.enum(FREQUENCIES).openapi({ description: "Each run covers the last complete day, week (Monday to Sunday) or month" }),
    subscriberId: z
      .string()
      .max(40)
      .optional()
      .openapi({ description: "The staff user who receives it (admins only; default: the caller)" }),
  })
  .openapi("ReportScheduleRequest");

export const ScheduleSchema = z
  .object({
    id: z.string(),
    definition: z.string(),
    params: z.record(z.string(), z.unknown()),
    formats: z.array(z.enum(REPORT_FORMATS)),
    frequency: z.enum(FREQUENCIES),
    subscriberId: z.string(),
    access: z.enum(ACCESS_LEVELS),
    createdBy: z.string(),
    active: z.boolean(),
    nextRunAt: z.string(),
    lastRunId: z.string().nullable(),
    failures: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("ReportSchedule");
export const ScheduleList = z.object({ schedules: z.array(ScheduleSchema) }).openapi("ReportSchedules");
