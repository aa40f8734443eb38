import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireRole, safeEqual } from "./auth.ts";
import type { AppEnv, Principal } from "./context.ts";
import { onError } from "./problem-response.ts";

function appAs(principal: Principal | null) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("requestId", "req-test");
    c.set("principal", principal);
    await next();
  });
  app.get("/admin", requireRole("admin"), (c) => c.text("ok"));
  app.get("/staff", requireRole("support", "admin"), (c) => c.text("ok"));
  app.onError(onError);
  return app;
}

describe("requireRole", () => {
  it("lets a principal with one of the roles through", async () => {
    expect((await appAs({ id: "u1", kind: "user", roles: ["support"] }).request("/staff")).status).toBe(200);
  });

  it("refuses a principal without the role with 403", async () => {
    const res = await appAs({ id: "u1", kind: "user", roles: ["customer"] }).request("/admin");
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("FORBIDDEN");
  });

  it("refuses an anonymous caller with 401", async () => {
    expect((await appAs(null).request("/admin")).status).toBe(401);
  });
});

describe("safeEqual", () => {
  it("compares whole strings", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
