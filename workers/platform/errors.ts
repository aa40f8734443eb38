/**
 * One error type and one envelope for the whole API: RFC 9457 problem+json
 * with a stable machine-readable `code` and the request id.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const ErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  VALIDATION_FAILED: "VALIDATION_FAILED",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "RATE_LIMITED",
  DEPENDENCY_UNAVAILABLE: "DEPENDENCY_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  VALIDATION_FAILED: "The request is not valid",
  UNAUTHORIZED: "Authentication required",
  FORBIDDEN: "Not allowed",
  NOT_FOUND: "Not found",
  METHOD_NOT_ALLOWED: "Method not allowed",
  CONFLICT: "Conflict",
  PAYLOAD_TOO_LARGE: "Request body too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  RATE_LIMITED: "Too many requests",
  DEPENDENCY_UNAVAILABLE: "A dependency is unavailable",
  INTERNAL: "Internal error",
};

export interface FieldError {
  /** JSON pointer-like dotted path of the offending field, e.g. `lines.0.qty`. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode | (string & {}),
    detail?: string,
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail ?? TITLES[code as ErrorCode] ?? code);
  }

  toProblem(instance: string, requestId: string): Problem {
    const { headers: _headers, ...rest } = this.extras;
    return {
      type: `https://errors.edge-commerce.dev/${this.code.toLowerCase().replaceAll("_", "-")}`,
      title: TITLES[this.code as ErrorCode] ?? this.code,
      status: this.status,
      code: this.code,
      detail: this.message,
      instance,
      requestId,
      ...rest,
    };
  }
}

export const notFound = (what = "resource") => new ApiError(404, ErrorCode.NOT_FOUND, `No such ${what}`);
export const conflict = (code: string, detail: string, extras?: Record<string, unknown>) =>
  new ApiError(409, code, detail, extras);

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
