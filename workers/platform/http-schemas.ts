/** Schemas every family's OpenAPI routes share: the problem envelope and pagination. */
import { z } from "@hono/zod-openapi";
import { MAX_CURSOR_LENGTH } from "./cursor.ts";

/** RFC 9457 problem details; extension members (the state a 409 refers to, for example) may follow the listed ones. */
export const ProblemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: "VALIDATION_FAILED" }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

export const problemResponses = {
  401: problem("Missing or invalid credentials"),
  403: problem("The caller's role does not allow this"),
  404: problem("No such resource"),
  409: problem("Conflict with the current state"),
  422: problem("A field is not valid"),
} as const;

export function pick<K extends keyof typeof problemResponses>(...codes: K[]): Pick<typeof problemResponses, K> {
  return Object.fromEntries(codes.map((k) => [k, problemResponses[k]])) as Pick<typeof problemResponses, K>;
}

export const LimitQuery = z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, at most 100" });

/** The page cursor of every list: the `nextCursor` a page answered, passed back as it is (see `cursor.ts`). */
export const cursorParam = z
  .string()
  .max(MAX_CURSOR_LENGTH)
  .optional()
  .openapi({ description: "nextCursor of the previous page (opaque)" });

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Present only on a last-good copy served while the database is unavailable (last-good.ts, docs/degraded-mode.md). */
export const StaleCopySchema = z
  .object({
    since: z.string().openapi({ description: "When this copy was made: prices and stock as of then" }),
    ageSeconds: z.number().int(),
    reason: z.literal("database_unavailable"),
  })
  .optional()
  .openapi("StaleCopy", { description: "Present only when this is a stale copy served while the database is unavailable" });

/** A page of a list, named in the document: the items and the cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodType>(name: string, item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

/** A list answered whole (it is short by nature), named in the document. */
export const listOf = <T extends z.ZodType>(name: string, item: T) => z.object({ items: z.array(item) }).openapi(name);
