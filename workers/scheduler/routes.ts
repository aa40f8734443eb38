import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { jobRuns } from "../../db/schema/scheduler.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import { notFound } from "../platform/errors.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { type JobRun, runJob } from "./runner.ts";

const JobRunSchema = z
  .object({
    id: z.string(),
    job: z.string(),
    trigger: z.enum(["cron", "manual"]),
    cron: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    outcome: z.enum(["running", "succeeded", "failed", "skipped"]),
    error: z.string().nullable(),
    result: z.unknown(),
  })
  .openapi("JobRun");

const toRun = (r: JobRun) => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });
const security = [{ bearer: [] }];
const JobName = z.string().regex(/^[a-z0-9-]{1,64}$/);

const jobsRoute = createRoute({
  method: "get",
  path: "/jobs",
  tags: ["Scheduler"],
  summary: "Registered jobs with their cron expressions and latest run",
  security,
  responses: {
    200: jsonContent(
      z
        .object({
          items: z.array(
            z
              .object({ name: z.string(), description: z.string(), crons: z.array(z.string()), lastRun: JobRunSchema.nullable() })
              .openapi("Job"),
          ),
        })
        .openapi("JobList"),
      "Jobs",
    ),
    ...pick(401, 403),
  },
});

const runsRoute = createRoute({
  method: "get",
  path: "/runs",
  tags: ["Scheduler"],
  summary: "The job-run log, newest first",
  security,
  request: { query: z.object({ job: JobName.optional(), limit: LimitQuery, cursor: cursorParam }) },
  responses: {
    200: jsonContent(pageOf("JobRunPage", JobRunSchema), "A page of runs"),
    ...pick(401, 403, 422),
  },
});

/** The run log pages newest first; the cursor's key is the last run's id. */
const RUNS_SORT = "runs:newest";

const triggerRoute = createRoute({
  method: "post",
  path: "/jobs/{name}/run",
  tags: ["Scheduler"],
  summary: "Run a job now and wait for its outcome (skipped if a run is in progress)",
  security,
  request: { params: z.object({ name: JobName }) },
  responses: { 200: jsonContent(JobRunSchema, "The finished (or skipped) run"), ...pick(401, 403, 404, 422) },
});

export const schedulerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
schedulerRoutes.use("*", requireRole("admin"));
schedulerRoutes
  .openapi(jobsRoute, async (c) => {
    const db = dbOf(c);
    const items = await Promise.all(
      c.get("jobs").all.map(async (job) => {
        const [last] = await db.select().from(jobRuns).where(eq(jobRuns.job, job.name)).orderBy(desc(jobRuns.id)).limit(1);
        return { name: job.name, description: job.description, crons: job.crons, lastRun: last ? toRun(last) : null };
      }),
    );
    return c.json({ items }, 200);
  })
  .openapi(runsRoute, async (c) => {
    const q = c.req.valid("query");
    const [before] = q.cursor ? decodeCursor(q.cursor, RUNS_SORT, ["string"]) : [];
    const rows = await dbOf(c)
      .select()
      .from(jobRuns)
      .where(and(q.job ? eq(jobRuns.job, q.job) : undefined, before !== undefined ? lt(jobRuns.id, before) : undefined))
      .orderBy(desc(jobRuns.id))
      .limit(q.limit + 1);
    const { page, nextCursor } = keysetPage(rows, q.limit, RUNS_SORT, (r) => [r.id]);
    return c.json({ items: page.map(toRun), nextCursor }, 200);
  })
  .openapi(triggerRoute, async (c) => {
    const job = c.get("jobs").find(c.req.valid("param").name);
    if (!job) throw notFound("job");
    const run = await runJob(c.env, job, { trigger: "manual" });
    return c.json(toRun(run), 200);
  });
