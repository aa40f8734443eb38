/**
 * Which failures mean "the database is unavailable" rather than "this
 * statement is wrong", and the one answer they get: 503 problem+json with
 * the stable code DATABASE_UNAVAILABLE and a `Retry-After`. A dependency
 * that is down is never a 500.
 *
 * The failure reaches us in several shapes, often wrapped (drizzle puts the
 * driver's error in `cause`, the Neon driver a failed fetch in `sourceError`):
 * a Postgres SQLSTATE from the server or the relay, a socket error code, a
 * timeout of the database port (db.ts), or the driver's own messages.
 */
import { ApiError, ErrorCode } from "./errors.ts";

/**
 * SQLSTATEs of an unavailable server: connection exceptions (class 08),
 * insufficient resources (class 53: too many connections, out of memory or
 * disk), shutdown and start-up (57P01-57P03), and a write reaching a read-only
 * server while a failover promotes the standby (25006).
 */
const UNAVAILABLE_STATES = /^(08...|53...|57P0[123]|25006)$/;
/** Socket errors of Node-style drivers (the relay reports its own with these codes too). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** The driver's and the runtime's words for a lost or never-made connection, and the database port's timeouts. */
const UNAVAILABLE_MESSAGES = [
  /Error connecting to database/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /is not queryable/i,
  /Server error \(HTTP status 5\d\d\)/i,
  /Network connection lost/i,
  /WebSocket .*(closed|error)/i,
  /connect to compute/i,
];

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  sourceError?: unknown;
}

/** True when the error (or one it wraps) says the database could not be reached or could not answer. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let queue: unknown[] = [err];
  while (queue.length > 0) {
    const next: unknown[] = [];
    for (const e of queue) {
      if (!e || typeof e !== "object" || seen.has(e)) continue;
      seen.add(e);
      if (e instanceof ApiError) continue;
      const x = e as ErrorLike;
      if (typeof x.code === "string" && (UNAVAILABLE_STATES.test(x.code) || SOCKET_CODES.has(x.code))) return true;
      if (x.name === "TimeoutError" || x.name === "AbortError") return true;
      if (typeof x.message === "string" && UNAVAILABLE_MESSAGES.some((m) => m.test(x.message as string))) return true;
      next.push(x.cause, x.sourceError);
    }
    queue = next;
  }
  return false;
}

/** The answer for every request the database could not serve. */
export function databaseUnavailable(retryAfterSeconds: number): ApiError {
  return new ApiError(
    ErrorCode.DATABASE_UNAVAILABLE,
    "The database is unavailable; the request was not carried out. Try again after the number of seconds in Retry-After.",
    { headers: { "retry-after": String(retryAfterSeconds) }, retryAfterSeconds },
  );
}
