/** Turns every failure into RFC 9457 problem+json with a stable code. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { ConfigError, platformConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { databaseUnavailable, isDatabaseUnavailable } from "./db-errors.ts";
import { ApiError, ErrorCode, type ErrorDef, type FieldError, findErrorCode, PROBLEM_CONTENT_TYPE } from "./errors.ts";
import { errorFields, log } from "./log.ts";
import { problemsTotal } from "./metrics.ts";

/**
 * The registry is closed: a code no catalogue declares is a defect. It is
 * logged everywhere, and outside production answered as a 500 naming the
 * code, so the test that reaches the path fails.
 */
function registered(c: Context<AppEnv>, err: ApiError): ApiError {
  if (findErrorCode(err.code)) return err;
  log.error("error_code.unregistered", { code: err.code, path: c.req.path });
  let production = true;
  try {
    production = platformConfig.read(c.env).APP_ENV === "production";
  } catch {
    // An unreadable configuration is production's safe side: keep the answer.
  }
  return production ? err : new ApiError(ErrorCode.INTERNAL, `Error code ${err.code} is not declared in any error catalogue`);
}

export function problemResponse(c: Context<AppEnv>, thrown: ApiError): Response {
  const err = registered(c, thrown);
  const problem = err.toProblem(c.req.path, c.get("requestId") ?? "");
  problemsTotal.inc({ code: err.code, status: String(err.status) });
  const res = new Response(JSON.stringify(problem), {
    status: err.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...(err.extras.headers ?? {}) },
  });
  return res;
}

const HTTP_CODES: Partial<Record<number, ErrorDef>> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const code = HTTP_CODES[err.status] ?? (err.status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST);
    return new ApiError(code, err.message || undefined, {}, err.status as ContentfulStatusCode);
  }
  return new ApiError(ErrorCode.INTERNAL, "An unexpected error occurred; quote the request id when reporting it");
}

/** The answer while the configuration is broken (config-gate.ts): the operator fixes it, so clients retry in a minute. */
export function configurationInvalid(): ApiError {
  return new ApiError(
    ErrorCode.CONFIGURATION_INVALID,
    "The service is not configured correctly; the operator is told which settings to fix.",
    {
      headers: { "retry-after": "60" },
    },
  );
}

/** The Retry-After of DATABASE_UNAVAILABLE; an unreadable configuration still gets an answer. */
function retryAfterSeconds(c: Context<AppEnv>): number {
  try {
    return platformConfig.read(c.env).DATABASE_RETRY_AFTER_SECONDS;
  } catch {
    return 5;
  }
}

export function onError(err: unknown, c: Context<AppEnv>): Response {
  // A database that cannot answer is a 503 with Retry-After on every route, never a 500.
  if (isDatabaseUnavailable(err)) {
    log.warn("request.database_unavailable", { requestId: c.get("requestId"), path: c.req.path, ...errorFields(err) });
    return problemResponse(c, databaseUnavailable(retryAfterSeconds(c)));
  }
  // A setting read late (by a family, after the gate) that is broken: the same 503 as the gate's, never a 500.
  if (err instanceof ConfigError) {
    log.error("config.invalid", { requestId: c.get("requestId"), path: c.req.path, problems: [err.message] });
    return problemResponse(c, configurationInvalid());
  }
  const apiError = toApiError(err);
  if (apiError.status >= 500) log.error("request.failed", { requestId: c.get("requestId"), path: c.req.path, ...errorFields(err) });
  return problemResponse(c, apiError);
}

export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || (prefix ?? "body"),
    message: issue.message,
  }));
}

/**
 * The zod-openapi hook: a request that fails its schema is a 422 naming each field.
 * The JSON validator runs without a JSON content type only when the route
 * declares its body required: such a request sent no body at all, which is
 * refused rather than read as `{}`. A PATCH that names no field changes
 * nothing, so it is refused too (it would otherwise bump a version for nothing).
 */
export function validationHook(result: { success: boolean; error?: ZodError; target?: string; data?: unknown }, c?: Context<AppEnv>): void {
  if (result.target === "json" && c) refuseEmptyBody(c, result.data);
  if (!result.success && result.error) {
    const where = result.target === "json" ? "body" : result.target;
    throw new ApiError(ErrorCode.VALIDATION_FAILED, `The ${where ?? "request"} is not valid`, {
      errors: fieldErrors(result.error, where === "body" ? undefined : where),
    });
  }
}

function refuseEmptyBody(c: Context<AppEnv>, data: unknown): void {
  const missing = !c.req.header("content-type");
  const emptyPatch = c.req.method === "PATCH" && !!data && typeof data === "object" && Object.keys(data).length === 0;
  if (!missing && !emptyPatch) return;
  throw new ApiError(ErrorCode.VALIDATION_FAILED, missing ? "A JSON body is required" : "The body names no field to change", {
    errors: [{ field: "body", message: missing ? "required" : "must name at least one field" }],
  });
}
