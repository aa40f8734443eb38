/** Errors of the API (RFC 9457 problem+json) in plain words, with the request id support needs to find the log line. */

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: { path?: string; message?: string }[];
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
  const headline = plain[p.status] ?? (p.status >= 500 ? "Something went wrong on the server. Try again." : p.title);
  const fields = (p.errors ?? []).map((e) => [e.path, e.message].filter(Boolean).join(": ")).filter(Boolean);
  return { headline, ...(p.detail && p.detail !== headline ? { detail: p.detail } : {}), fields };
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}
