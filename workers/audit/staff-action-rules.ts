/**
 * The rules of the staff audit, without the platform: which requests are
 * staff actions, how a route is named and its parameters read before the
 * route runs, and what became of each recorded attempt.
 */

export type Method = "POST" | "PUT" | "PATCH" | "DELETE";

const WRITES = new Set<string>(["POST", "PUT", "PATCH", "DELETE"]);
/** Writes that are not changes of data, or that have their own events naming the user (sessions, sign-in). */
const NOT_ACTIONS = [/^\/api\/auth\//, /^\/api\/audit\/verify$/];

/** Whether a request by a member of staff is an action the trail records. */
export function isAuditedWrite(method: string, path: string): method is Method {
  return WRITES.has(method) && !NOT_ACTIONS.some((re) => re.test(path));
}

/** The route a request matched, as the handler's (not a middleware's) path; null when no route matched. */
export function handlerPath(matched: readonly { method: string; path: string }[]): string | null {
  for (let i = matched.length - 1; i >= 0; i--) if (matched[i]!.method !== "ALL") return matched[i]!.path;
  return null;
}

/** The router's `:name` (with an optional `{pattern}` or `?`) as OpenAPI's `{name}`. */
const PARAM = /^:(\w+)(?:\{.*\})?\??$/;

/** `/api/products/:id/images/:imageId` as the document names it: `/api/products/{id}/images/{imageId}`. */
export function routeTemplate(routerPath: string): string {
  return routerPath
    .split("/")
    .map((s) => {
      const m = PARAM.exec(s);
      return m ? `{${m[1]}}` : s;
    })
    .join("/");
}

/**
 * The path parameters of `path` under the router's pattern, read segment by
 * segment (the router has matched already, so the segments line up); values
 * are decoded and cut to 200 characters.
 */
export function paramsOf(routerPath: string, path: string): Record<string, string> {
  const pattern = routerPath.split("/");
  const segments = path.split("/");
  const params: Record<string, string> = {};
  pattern.forEach((s, i) => {
    const m = PARAM.exec(s);
    const raw = segments[i];
    if (!m || raw === undefined || raw === "") return;
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A malformed escape stays as sent.
    }
    params[m[1]!] = value.slice(0, 200);
  });
  return params;
}

export const OUTCOME_TYPES = ["StaffActionTaken", "StaffActionFailed"] as const;

/** What became of an attempt: its outcome's status, or unknown when no outcome was recorded. */
export type AttemptOutcome = { result: "succeeded" | "failed"; status: number } | { result: "unknown"; status: null };

export interface RecordedOutcome {
  attemptId: string;
  type: string;
  status: number;
}

/** The outcome of each attempt id given the outcomes found for them. */
export function outcomesOf(attemptIds: readonly string[], found: readonly RecordedOutcome[]): Map<string, AttemptOutcome> {
  const byAttempt = new Map(found.map((o) => [o.attemptId, o]));
  return new Map(
    attemptIds.map((id): [string, AttemptOutcome] => {
      const o = byAttempt.get(id);
      if (!o) return [id, { result: "unknown", status: null }];
      return [id, { result: o.type === "StaffActionTaken" ? "succeeded" : "failed", status: o.status }];
    }),
  );
}
