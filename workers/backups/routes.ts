/**
 * /api/backups (admins only): the sets in the bucket with their manifests
 * and live progress, starting a backup (through the scheduler: logged, never
 * two at once), validating one, restoring one (a dry run first, then the
 * restore with the dry run's confirmation token), and the drill history.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq, sql } from "drizzle-orm";
import { backupOperations } from "../../db/schema/backups.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { jsonContent, LimitQuery, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { runJob } from "../scheduler/index.ts";
import { BackupErrors } from "./errors.ts";
import { backupFull } from "./jobs.ts";
import { OBJECT_KINDS } from "./manifest.ts";
import { etaSeconds, loadOperation, type OperationRow } from "./progress.ts";
import { planRestore, restoreBackup } from "./restore.ts";
import { listSets, readManifest } from "./sets.ts";
import { validateBackup } from "./validate.ts";

const security = [{ bearer: [] }];
const tags = ["Backups"];
const BackupId = z.string().regex(/^bk_\d{8}T\d{6}_[0-9A-Z]{8}$/);
const OperationId = z.string().regex(/^[a-z]{2,5}_[0-9A-HJKMNP-TV-Z]{26}$|^bk_\d{8}T\d{6}_[0-9A-Z]{8}$/);
const Name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f]+$/);

const OperationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["backup", "validate", "restore", "drill"]),
    backupId: z.string(),
    status: z.enum(["running", "complete", "failed"]),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    rowsDone: z.number().int(),
    bytesDone: z.number().int(),
    rowsExpected: z.number().int().nullable(),
    etaSeconds: z.number().int().nullable(),
    error: z.string().nullable(),
    result: z.unknown(),
  })
  .openapi("BackupOperation");

const toOperation = (r: OperationRow) => ({
  id: r.id,
  kind: r.kind,
  backupId: r.backupId,
  status: r.status,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  rowsDone: r.rowsDone,
  bytesDone: r.bytesDone,
  rowsExpected: r.rowsExpected,
  etaSeconds: etaSeconds(r, new Date()),
  error: r.error,
  result: r.result,
});

const SetSchema = z
  .object({
    id: z.string(),
    startedAt: z.string(),
    complete: z.boolean(),
    setSha256: z.string().nullable(),
    operation: OperationSchema.nullable(),
  })
  .openapi("BackupSet");

const RestoreBody = z
  .strictObject({
    dryRun: z.boolean(),
    confirmationToken: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
    schemas: z
      .array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/))
      .max(100)
      .optional(),
    objects: z
      .strictObject({ kinds: z.array(z.enum(OBJECT_KINDS)).min(1).max(3).optional(), names: z.array(Name).min(1).max(1000).optional() })
      .refine((o) => !o.names || o.kinds?.length === 1, { message: "naming objects takes exactly one kind", path: ["kinds"] })
      .nullable()
      .optional(),
  })
  .openapi("RestoreRequest");

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Backup sets in the bucket, newest first, with the progress or outcome of their run",
  security,
  request: { query: z.object({ limit: LimitQuery }) },
  responses: { 200: jsonContent(listOf("BackupSetList", SetSchema), "Backup sets"), ...pick(401, 403, 422) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One backup set: its manifest (once complete) and its run",
  security,
  request: { params: z.object({ id: BackupId }) },
  responses: {
    200: jsonContent(
      z.object({ id: z.string(), manifest: z.unknown().nullable(), operation: OperationSchema.nullable() }).openapi("BackupSetDetail"),
      "The set",
    ),
    ...pick(401, 403, 404, 422),
  },
});

const triggerRoute = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Take a full backup now (through the scheduler's backup-full job) and wait for it",
  security,
  responses: {
    200: jsonContent(
      z
        .object({ runId: z.string(), backupId: z.string().nullable(), outcome: z.string(), result: z.unknown() })
        .openapi("BackupRunOutcome"),
      "The run",
    ),
    ...pick(401, 403, 409),
  },
});

const validateRoute = createRoute({
  method: "post",
  path: "/{id}/validate",
  tags,
  summary: "Check a set's checksums and counts, restore it into the scratch database and check the invariants",
  security,
  request: { params: z.object({ id: BackupId }) },
  responses: {
    200: jsonContent(z.object({ ok: z.boolean() }).passthrough().openapi("BackupValidation"), "The validation report"),
    ...pick(401, 403, 404, 422),
  },
});

const restoreRoute = createRoute({
  method: "post",
  path: "/{id}/restore",
  tags,
  summary: "Dry-run a restore (plan and confirmation token), or restore with the dry run's token",
  security,
  request: { params: z.object({ id: BackupId }), body: { required: true, content: { "application/json": { schema: RestoreBody } } } },
  responses: {
    200: jsonContent(z.object({ dryRun: z.boolean() }).passthrough().openapi("BackupRestoreOutcome"), "The plan, or the restore's outcome"),
    ...pick(401, 403, 404, 409, 422),
  },
});

const operationsRoute = createRoute({
  method: "get",
  path: "/operations",
  tags,
  summary: "Backups, validations, restores and drills, newest first, with live progress (drill history: kind=drill)",
  security,
  request: { query: z.object({ kind: z.enum(["backup", "validate", "restore", "drill"]).optional(), limit: LimitQuery }) },
  responses: { 200: jsonContent(listOf("BackupOperationList", OperationSchema), "Operations"), ...pick(401, 403, 422) },
});

const operationRoute = createRoute({
  method: "get",
  path: "/operations/{id}",
  tags,
  summary: "One operation's progress (rows and bytes done, ETA) or outcome",
  security,
  request: { params: z.object({ id: OperationId }) },
  responses: { 200: jsonContent(OperationSchema, "The operation"), ...pick(401, 403, 404, 422) },
});

async function backupOperation(c: Parameters<typeof dbOf>[0], id: string): Promise<OperationRow | null> {
  const rows = await dbOf(c)
    .select()
    .from(backupOperations)
    .where(and(eq(backupOperations.kind, "backup"), eq(backupOperations.backupId, id)))
    .limit(1);
  return rows[0] ?? null;
}

export const backupRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
backupRoutes.use("*", requireRole("admin"));
backupRoutes
  .openapi(operationsRoute, async (c) => {
    const q = c.req.valid("query");
    const rows = await dbOf(c)
      .select()
      .from(backupOperations)
      .where(q.kind ? eq(backupOperations.kind, q.kind) : undefined)
      .orderBy(desc(backupOperations.startedAt), desc(backupOperations.id))
      .limit(q.limit);
    return c.json({ items: rows.map(toOperation) }, 200);
  })
  .openapi(operationRoute, async (c) => {
    const row = await loadOperation(dbOf(c), c.req.valid("param").id);
    if (!row) throw notFound("backup operation");
    return c.json(toOperation(row), 200);
  })
  .openapi(listRoute, async (c) => {
    const { limit } = c.req.valid("query");
    const sets = (await listSets(c.env)).slice(0, limit);
    const ops = sets.length
      ? await dbOf(c)
          .select()
          .from(backupOperations)
          .where(
            and(eq(backupOperations.kind, "backup"), sql`${backupOperations.backupId} = any(${sql.param(sets.map((s) => s.id))}::text[])`),
          )
      : [];
    const byId = new Map(ops.map((o) => [o.backupId, o]));
    const items = sets.map((s) => {
      const op = byId.get(s.id);
      return {
        id: s.id,
        startedAt: s.startedAt.toISOString(),
        complete: s.complete,
        setSha256: s.setSha256,
        operation: op ? toOperation(op) : null,
      };
    });
    return c.json({ items }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const [manifest, op] = [await readManifest(c.env, id), await backupOperation(c, id)];
    if (!manifest && !op) throw notFound("backup");
    return c.json({ id, manifest, operation: op ? toOperation(op) : null }, 200);
  })
  .openapi(triggerRoute, async (c) => {
    const run = await runJob(c.env, backupFull, { trigger: "manual" });
    if (run.outcome === "skipped") throw new ApiError(BackupErrors.BACKUP_IN_PROGRESS, run.error ?? "a backup is running");
    const result = run.result as { backupId?: string } | null;
    return c.json({ runId: run.id, backupId: result?.backupId ?? null, outcome: run.outcome, result: run.result ?? run.error }, 200);
  })
  .openapi(validateRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await readManifest(c.env, id)) && !(await backupOperation(c, id))) throw notFound("backup");
    return c.json(await validateBackup(c.env, dbOf(c), id, "validate"), 200);
  })
  .openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    if (!(await readManifest(c.env, id)) && !(await backupOperation(c, id))) throw notFound("backup");
    const scope = { schemas: body.schemas, objects: body.objects };
    if (body.dryRun) return c.json({ dryRun: true, ...(await planRestore(c.env, dbOf(c), id, scope)) }, 200);
    return c.json({ dryRun: false, ...(await restoreBackup(c.env, dbOf(c), id, scope, body.confirmationToken)) }, 200);
  });
