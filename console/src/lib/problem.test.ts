import { describe, expect, it } from "vitest";
import { describeProblem, toProblem } from "./problem.ts";

describe("problems in plain words", () => {
  it("keeps the code, detail, field errors and the request id of a problem+json body", () => {
    const p = toProblem(
      422,
      { title: "Validation failed", detail: "1 field", code: "VALIDATION", errors: [{ path: "price", message: "must be positive" }] },
      "req_1",
    );
    expect(p).toMatchObject({ status: 422, code: "VALIDATION", requestId: "req_1" });
    expect(describeProblem(p)).toEqual({
      headline: "Some of the values are not valid.",
      detail: "1 field",
      fields: ["price: must be positive"],
    });
  });

  it("explains a concurrency conflict and a server error without jargon, and survives a body that is not JSON", () => {
    expect(describeProblem(toProblem(412, { title: "Precondition failed" })).headline).toMatch(/Someone else changed this/);
    expect(describeProblem(toProblem(502, "<html>")).headline).toBe("Something went wrong on the server. Try again.");
    expect(toProblem(500, null, null).requestId).toBeUndefined();
  });

  it("prefers the request id in the body over the header's", () => {
    expect(toProblem(404, { requestId: "req_body" }, "req_header").requestId).toBe("req_body");
  });
});
