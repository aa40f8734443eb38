/** Small HTTP helpers the catalog's route files share. */
import { ProblemSchema, problemResponses } from "../platform/http-schemas.ts";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

/** Problem responses by status, including those only the catalog uses. */
export const problems = {
  ...problemResponses,
  413: problem("The image is larger than the limit"),
  415: problem("Not an accepted image type"),
  428: problem("If-Match is missing: send the ETag you read"),
} as const;

export function pickProblems<K extends keyof typeof problems>(...codes: K[]): Pick<typeof problems, K> {
  return Object.fromEntries(codes.map((k) => [k, problems[k]])) as Pick<typeof problems, K>;
}

/**
 * Responses built by hand (edge cache hits, 304s, streamed images) are
 * plain Responses; the typed route handlers only know c.json. The cast is
 * the one place that bridges them.
 */
export const raw = (res: Response) => res as never;

export const notModified = { 304: { description: "Not modified: the If-None-Match ETag is current" } } as const;
