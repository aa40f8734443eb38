/**
 * One error type and one envelope for the whole API: RFC 9457 problem+json
 * with a stable machine-readable `code` and the request id.
 *
 * Codes form one closed registry: the platform's own below, and each
 * family's, declared with `defineErrors` in its `errors.ts` and listed in its
 * `defineFamily`. The composition root registers every catalogue
 * (`registerErrors`), a code defined twice fails at start, and the gateway
 * refuses to send a code that no catalogue declares (outside production it
 * answers 500 and logs the code, so a test exercising the path catches it).
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorSpec {
  status: ContentfulStatusCode;
  /** The problem's `title`: short, the same for every occurrence of the code. */
  title: string;
}
export interface ErrorDef<C extends string = string> extends ErrorSpec {
  code: C;
}
export type ErrorCatalog<T extends Record<string, ErrorSpec> = Record<string, ErrorSpec>> = {
  readonly [C in keyof T & string]: ErrorDef<C> & T[C];
};

/** A family's error codes, each with its HTTP status and title. */
export function defineErrors<const T extends Record<string, ErrorSpec>>(specs: T): ErrorCatalog<T> {
  return Object.fromEntries(Object.entries(specs).map(([code, spec]) => [code, { code, ...spec }])) as ErrorCatalog<T>;
}

export const ErrorCode = defineErrors({
  BAD_REQUEST: { status: 400, title: "Bad request" },
  VALIDATION_FAILED: { status: 422, title: "The request is not valid" },
  UNAUTHORIZED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Not allowed" },
  NOT_FOUND: { status: 404, title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  CONFLICT: { status: 409, title: "Conflict" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: "A dependency is unavailable" },
  /** Postgres could not be reached or could not answer in time (workers/platform/db-errors.ts); always with Retry-After. */
  DATABASE_UNAVAILABLE: { status: 503, title: "The database is unavailable" },
  /** A setting is missing or malformed (config-gate.ts); the error log names it. */
  CONFIGURATION_INVALID: { status: 503, title: "The service is not configured correctly" },
  INTERNAL: { status: 500, title: "Internal error" },
  /** A route that acts for a signed-in user was called with a service token. */
  USER_TOKEN_REQUIRED: { status: 403, title: "A user access token is required" },
  /** Shared by every family that accepts an Idempotency-Key: the key was used for a different request. */
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: "Idempotency key reused" },
  /** Shared by every family that receives signed webhooks. */
  INVALID_WEBHOOK_SIGNATURE: { status: 401, title: "Invalid webhook signature" },
  /** A write that needs If-Match came without it. */
  PRECONDITION_REQUIRED: { status: 428, title: "Precondition required" },
});
export type ErrorCode = keyof typeof ErrorCode;

const registry = new Map<string, ErrorDef & { owner: string }>();

/** Adds an owner's catalogue to the registry; a code already registered by another owner is a startup error. */
export function registerErrors(owner: string, catalog: ErrorCatalog): void {
  for (const def of Object.values(catalog)) {
    const known = registry.get(def.code);
    if (known && known.owner !== owner) throw new Error(`Error code ${def.code} is declared by both ${known.owner} and ${owner}`);
    registry.set(def.code, { ...def, owner });
  }
}
registerErrors("platform", ErrorCode);

/** The registered definition of a code carried as a string (an answer stored and replayed); an unknown code keeps its name as title. */
export function errorDefOf(code: string): ErrorDef {
  return registry.get(code) ?? { code, status: 500, title: code };
}

export function findErrorCode(code: string): (ErrorDef & { owner: string }) | undefined {
  return registry.get(code);
}

/** Every registered code, for the error reference and the contract tests. */
export function listErrorCodes(): Array<ErrorDef & { owner: string }> {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

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

export type ErrorExtras = { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown };

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly title: string;

  /** `def` from a catalogue; `status` overrides the code's usual status where one code spans several (rare). */
  constructor(
    def: ErrorDef,
    detail?: string,
    readonly extras: ErrorExtras = {},
    status?: ContentfulStatusCode,
  ) {
    super(detail ?? def.title);
    this.status = status ?? def.status;
    this.code = def.code;
    this.title = def.title;
  }

  toProblem(instance: string, requestId: string): Problem {
    const { headers: _headers, ...rest } = this.extras;
    return {
      type: `https://errors.edge-commerce.dev/${this.code.toLowerCase().replaceAll("_", "-")}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      instance,
      requestId,
      ...rest,
    };
  }
}

export const notFound = (what = "resource") => new ApiError(ErrorCode.NOT_FOUND, `No such ${what}`);

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
