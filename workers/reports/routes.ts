/**
 * /api/reports: the report definitions, runs on demand (202 with the run,
 * then its progress and signed download links), the index of past runs, and
 * the files behind the signed links. Staff roles only, each cut to its
 * access (access-rules.ts); the file links need no token, they are one.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { reportRuns } from "../../db/schema/reports.ts";
import { requireRole } from "../platform/auth.ts";
import type { AppEnv, Principal } from "../platform/context.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { jsonContent, pick, problemResponses } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { accessOf, mayRun } from "./access-rules.ts";
import { DEFINITIONS } from "./definitions/catalog.ts";
import { ReportErrors } from "./errors.ts";
import { FORMAT_FILES } from "./formats/files.ts";
import { REPORTS_BUCKET } from "./run-executor.ts";
import { findVisibleRun, listRuns, runView, startRun } from "./runs.ts";
import { scheduleRoutes } from "./schedule-routes.ts";
import { DefinitionList, FileParam, FileQuery, RunList, RunParam, RunRequestBody, RunSchema, RunStarted, RunsQuery } from "./schemas.ts";
import { verifyLink } from "./signed-links.ts";

const security = [{ bearer: [] }];
const tags = ["Reports"];
const STAFF = ["admin", "analyst", "support"] as const;

const definitionsRoute = createRoute({
  method: "get",
  path: "/definitions",
  tags,
  security,
  middleware: [requireRole(...STAFF)] as const,
  summary: "The reports the caller's role may run, with their parameters (JSON Schema)",
  responses: { 200: jsonContent(DefinitionList, "Report definitions"), ...pick(401, 403) },
});

const startRoute = createRoute({
  method: "post",
  path: "/runs",
  tags,
  security,
  middleware: [requireRole(...STAFF)] as const,
  summary: "Start a report run (asynchronous)",
  description:
    "202 with the new run, whose status and progress `GET /runs/{id}` answers. The same request (definition, parameters with the period resolved, formats, the caller's access) made within the reuse window answers 200 with the stored run instead of computing it again. 403 REPORT_NOT_ALLOWED when the caller's role may not run the report.",
  request: { body: { content: { "application/json": { schema: RunRequestBody } }, required: true } },
  responses: {
    200: jsonContent(RunStarted, "A stored run of the same request"),
    202: jsonContent(RunStarted, "Started"),
    ...pick(401, 403, 422),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/runs",
  tags,
  security,
  middleware: [requireRole(...STAFF)] as const,
  summary: "Past runs, newest first, optionally of one definition (admins see every run, others their own)",
  request: { query: RunsQuery },
  responses: { 200: jsonContent(RunList, "Runs"), ...pick(401, 403, 422) },
});

const getRoute = createRoute({
  method: "get",
  path: "/runs/{id}",
  tags,
  security,
  middleware: [requireRole(...STAFF)] as const,
  summary: "A run's status, progress, metadata and (when done) short-lived download links",
  request: { params: RunParam },
  responses: { 200: jsonContent(RunSchema, "The run"), ...pick(401, 403, 404, 422) },
});

const binaryFile = z.string().openapi({ type: "string", format: "binary" });

const fileRoute = createRoute({
  method: "get",
  path: "/files/{id}/{format}",
  tags,
  summary: "Download a report file through a signed link (no token: the link is the credential)",
  request: { params: FileParam, query: FileQuery },
  responses: {
    200: {
      description: "The file, in the media type of its format",
      content: {
        "text/csv": { schema: binaryFile },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: binaryFile },
        "application/pdf": { schema: binaryFile },
      },
    },
    403: problemResponses[403],
    404: problemResponses[404],
    410: { ...problemResponses[404], description: "The file was removed by retention" },
    422: problemResponses[422],
  },
});

const principalOf = (p: Principal | null) => p!;
const RUNS_SORT = "report-runs:newest";

export const reportsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
reportsRoutes
  .openapi(definitionsRoute, (c) => {
    const access = accessOf(principalOf(c.get("principal")).roles)!;
    const definitions = DEFINITIONS.filter((d) => mayRun(d, access)).map((d) => ({
      id: d.id,
      title: d.title,
      description: d.description,
      access: ["admin" as const, ...d.access.filter((a) => a !== "admin")],
      defaultPeriod: d.span,
      params: z.toJSONSchema(d.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    }));
    return c.json({ definitions }, 200);
  })
  .openapi(startRoute, async (c) => {
    const scope = scopeOf(c);
    const { run, reused } = await startRun(scope.db, scope.rt, principalOf(scope.principal), c.req.valid("json"), scope.waitUntil);
    return c.json({ ...(await runView(scope.rt, run, scope.now)), reused }, reused ? 200 : 202);
  })
  .openapi(listRoute, async (c) => {
    const scope = scopeOf(c);
    const q = c.req.valid("query");
    const after = q.cursor ? decodeCursor(q.cursor, RUNS_SORT, ["number", "string"] as const) : undefined;
    const rows = await listRuns(scope.db, principalOf(scope.principal), {
      definition: q.definition,
      limit: q.limit,
      after: after ? { createdAt: new Date(after[0]), id: after[1] } : undefined,
    });
    const { page, nextCursor } = keysetPage(rows, q.limit, RUNS_SORT, (r) => [r.createdAt.getTime(), r.id]);
    return c.json({ runs: await Promise.all(page.map((r) => runView(scope.rt, r, scope.now))), nextCursor }, 200);
  })
  .openapi(getRoute, async (c) => {
    const scope = scopeOf(c);
    const run = await findVisibleRun(scope.db, principalOf(scope.principal), c.req.valid("param").id);
    return c.json(await runView(scope.rt, run, scope.now), 200);
  })
  .openapi(fileRoute, async (c) => {
    const scope = scopeOf(c);
    const { id, format } = c.req.valid("param");
    const { expires, sig } = c.req.valid("query");
    if (!(await verifyLink(scope.rt, { runId: id, format, expires, sig }, scope.now)))
      throw new ApiError(ReportErrors.REPORT_LINK_INVALID, "The link is not valid or has expired: ask the API for a new one");
    const [run] = await scope.db.select().from(reportRuns).where(eq(reportRuns.id, id));
    if (run?.purgedAt) throw new ApiError(ReportErrors.REPORT_PURGED, "The report's files were removed by retention: run it again");
    const file = run?.files?.[format];
    const object = file ? await scope.rt.blobs.bucket(REPORTS_BUCKET).get(file.key) : null;
    if (!run || !file || !object) throw notFound("report file");
    const name = `${run.definition}-${String(run.params.from ?? "")}.${FORMAT_FILES[format].ext}`;
    return new Response(object.body, {
      headers: {
        "content-type": FORMAT_FILES[format].contentType,
        "content-length": String(file.bytes),
        "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "cache-control": "private, no-store",
        "x-checksum-sha256": file.sha256,
      },
    }) as never;
  });
reportsRoutes.route("/schedules", scheduleRoutes);
