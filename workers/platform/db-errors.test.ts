import { describe, expect, it } from "vitest";
import { databaseUnavailable, isDatabaseUnavailable } from "./db-errors.ts";
import { ApiError, ErrorCode } from "./errors.ts";

const withCode = (code: string, message = "boom") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises an unavailable server by SQLSTATE: connection, resources, shutdown, start-up, read-only after a failover", () => {
    for (const code of ["08006", "08001", "53300", "53200", "57P01", "57P02", "57P03", "25006"])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
  });

  it("leaves errors of the statement itself alone (constraint, syntax, serialization, cancel)", () => {
    for (const code of ["23505", "23503", "42601", "40001", "22P02", "57014"])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error("relation does not exist"))).toBe(false);
    expect(isDatabaseUnavailable(new ApiError(ErrorCode.CONFLICT, "Connection terminated"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated")).toBe(false);
  });

  it("looks through drizzle's cause and the Neon driver's sourceError", () => {
    const wrapped = new Error("Failed query: select 1", { cause: withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432") });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    const fetchFailed = Object.assign(new Error("Error connecting to database: TypeError: fetch failed"), {
      sourceError: new TypeError("fetch failed"),
    });
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: fetchFailed }))).toBe(true);
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: timeout }))).toBe(true);
  });

  it("recognises the driver's messages for a lost or never-made connection", () => {
    for (const message of [
      "Connection terminated unexpectedly",
      "timeout exceeded when trying to connect",
      "Query read timeout",
      "Server error (HTTP status 502): bad gateway",
      "Network connection lost.",
    ])
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    expect(isDatabaseUnavailable(new Error("Server error (HTTP status 404): no route"))).toBe(false);
  });

  it("survives a cycle of causes", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe("databaseUnavailable", () => {
  it("is a 503 with the stable code and Retry-After", () => {
    const err = databaseUnavailable(7);
    expect(err.status).toBe(503);
    expect(err.code).toBe("DATABASE_UNAVAILABLE");
    expect(err.extras.headers).toEqual({ "retry-after": "7" });
  });
});
