import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { isStorableText, unstorableFields } from "./input-guard.ts";

describe("text that cannot be stored", () => {
  it("is a NUL or an unpaired surrogate; paired surrogates and other text are fine", () => {
    expect(isStorableText("plain ünïcödé 😀")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("lone \ud83d high")).toBe(false);
    expect(isStorableText("lone \ude00 low")).toBe(false);
  });

  it("is found in nested values and keys, named by path", () => {
    const body = { name: "ok", lines: [{ sku: "a\u0000" }, { sku: "b" }], meta: { "k\u0000": 1 }, n: 5 };
    expect(unstorableFields(body)).toEqual(["lines.0.sku", "meta.k\u0000"]);
    expect(unstorableFields("x\u0000")).toEqual(["body"]);
  });

  it("is refused with 422 wherever it comes, on public routes too, before any handler runs", async () => {
    const inQuery = await api("/api/search?q=a%00b", { token: null });
    expect(inQuery.status).toBe(422);
    const problem = (await inQuery.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors).toEqual([{ field: "query.q", message: expect.any(String) }]);

    expect((await api("/api/products/a%00b", { token: null })).status).toBe(422);
    const inBody = await api("/api/auth/login", { method: "POST", token: null, json: { email: "a\u0000@example.com", password: "x" } });
    expect(inBody.status).toBe(422);
    expect(((await inBody.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe("email");
  });
});

describe("bodies a route requires", () => {
  it("are refused with 422 when missing, and a PATCH naming no field changes nothing", async () => {
    const missing = await api("/api/products/categories", { method: "POST" });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { detail: string }).detail).toBe("A JSON body is required");

    const emptyPatch = await api("/api/products/brands/brd_00000000000000000000000000", { method: "PATCH", json: {} });
    expect(emptyPatch.status).toBe(422);
  });
});
