import { describe, expect, it } from "vitest";
import { describeProblem, fieldMessages, ProblemError, toProblem } from "./problem.ts";

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

  it("says a 409's own reason (in use, taken) but keeps the plain words for a version conflict", () => {
    expect(
      describeProblem(toProblem(409, { title: "Brand in use", code: "BRAND_IN_USE", detail: "Products still carry this brand" })),
    ).toEqual({
      headline: "Brand in use",
      detail: "Products still carry this brand",
      fields: [],
    });
    expect(describeProblem(toProblem(409, { title: "Version conflict", code: "VERSION_CONFLICT" })).headline).toMatch(
      /Someone else changed this/,
    );
    expect(describeProblem(toProblem(409, {})).headline).toMatch(/Someone else changed this/);
  });

  it("prefers the request id in the body over the header's", () => {
    expect(toProblem(404, { requestId: "req_body" }, "req_header").requestId).toBe("req_body");
  });

  it("names the server's fields (body.x from the schema, x from a service rule) and maps them onto the form's inputs", () => {
    const p = toProblem(422, {
      errors: [
        { field: "body.percentBp", message: "required for percentage" },
        { field: "endsAt", message: "must be after startsAt" },
        { field: "body.productIds.2", message: "Invalid string" },
        { field: "body.percentBp", message: "second message ignored" },
      ],
    });
    expect(describeProblem(p).fields[0]).toBe("body.percentBp: required for percentage");
    expect(fieldMessages(new ProblemError(p))).toEqual({
      percentBp: "required for percentage",
      endsAt: "must be after startsAt",
      productIds: "Invalid string",
    });
    expect(fieldMessages(new ProblemError(toProblem(409, { errors: [{ field: "code", message: "taken" }] })))).toEqual({});
    expect(fieldMessages(new Error("x"))).toEqual({});
  });
});
