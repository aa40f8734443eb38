/**
 * The error-code registry is closed: a code no catalogue declares is refused
 * by the gateway outside production (a 500 naming it, so the test reaching
 * that path fails), and a declared family code passes with its title.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { createApp } from "./app.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, defineErrors } from "./errors.ts";
import { defineFamily } from "./family.ts";
import { jobRegistry } from "./job.ts";
import type { Runtime } from "./runtime.ts";

const ProbeErrors = defineErrors({ PROBE_DECLARED: { status: 409, title: "Probe declared" } });
const routes = new OpenAPIHono<AppEnv>();
routes.get("/declared", () => {
  throw new ApiError(ProbeErrors.PROBE_DECLARED, "declared");
});
routes.get("/undeclared", () => {
  throw new ApiError({ code: "PROBE_UNDECLARED", status: 409, title: "Nobody declared me" }, "undeclared");
});
const app = createApp({
  families: [defineFamily({ name: "probe", routes: { "/api/probe": routes }, errors: ProbeErrors })],
  relay: () => undefined,
  jobs: jobRegistry([]),
});

async function call(path: string, rt: Runtime) {
  const res = await app.fetch(new Request(`https://api.test${path}`), rt);
  return { status: res.status, body: (await res.json()) as { code: string; title: string; detail: string } };
}

describe("the error-code registry", () => {
  it("answers a declared family code with its status and title", async () => {
    expect(await call("/api/probe/declared", testEnv)).toMatchObject({
      status: 409,
      body: { code: "PROBE_DECLARED", title: "Probe declared" },
    });
  });

  it("refuses an undeclared code outside production, naming it", async () => {
    const { status, body } = await call("/api/probe/undeclared", testEnv);
    expect(status).toBe(500);
    expect(body.code).toBe("INTERNAL");
    expect(body.detail).toContain("PROBE_UNDECLARED");
  });

  it("keeps the answer in production, where the defect is only logged", async () => {
    const production: Runtime = { ...testEnv, vars: { ...testEnv.vars, APP_ENV: "production" } };
    expect(await call("/api/probe/undeclared", production)).toMatchObject({ status: 409, body: { code: "PROBE_UNDECLARED" } });
  });
});
