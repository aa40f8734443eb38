/** Errors of the API (RFC 9457 problem+json) in plain words, with the request id support needs to find the log line. */

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  requestId?: string;
  /** The API names the field in `field` ("body.percentBp" from schema checks, "percentBp" from service rules). */
  errors?: { field?: string; path?: string; message?: string }[];
}

const plain: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Your role does not allow this.",
  404: "This was not found. It may have been deleted.",
  409: "Someone else changed this in the meantime. Reload to see their change, then try again.",
  412: "Someone else changed this in the meantime. Reload to see their change, then try again.",
  413: "That is too large to send.",
  422: "Some of the values are not valid.",
  429: "Too many attempts. Wait a moment and try again.",
  503: "A service the shop depends on is unavailable. Try again shortly.",
};

/** A problem from any failed response body (problem+json or not). */
export function toProblem(status: number, body: unknown, requestId?: string | null): Problem {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(b.errors) ? (b.errors as Problem["errors"]) : undefined;
  return {
    status,
    title: typeof b.title === "string" ? b.title : `Error ${status}`,
    ...(typeof b.detail === "string" ? { detail: b.detail } : {}),
    ...(typeof b.code === "string" ? { code: b.code } : {}),
    ...((typeof b.requestId === "string" ? b.requestId : requestId)
      ? { requestId: (typeof b.requestId === "string" ? b.requestId : requestId)! }
      : {}),
    ...(errors ? { errors } : {}),
  };
}

/** One sentence for a person, then the server's own detail when it adds something. */
export function describeProblem(p: Problem): { headline: string; detail?: string; fields: string[] } {
  // A 409 that names its own reason (a slug taken, a brand still in use) says that, not "someone else changed this".
  const ownReason = p.status === 409 && !!p.code && !/VERSION|CONFLICT/.test(p.code) && p.title !== `Error ${p.status}`;
  const headline = ownReason
    ? p.title
    : (plain[p.status] ?? (p.status >= 500 ? "Something went wrong on the server. Try again." : p.title));
  const fields = (p.errors ?? []).map((e) => [e.field ?? e.path, e.message].filter(Boolean).join(": ")).filter(Boolean);
  return { headline, ...(p.detail && p.detail !== headline ? { detail: p.detail } : {}), fields };
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** A 422's messages by the body field they concern ("body.endsAt" and "endsAt" both under "endsAt"), for showing them on the form's inputs. */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!(error instanceof ProblemError) || error.problem.status !== 422) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const name = (e.field ?? e.path ?? "").replace(/^body\.?/, "").split(".")[0];
    if (name && e.message && !out[name]) out[name] = e.message;
  }
  return out;
}
