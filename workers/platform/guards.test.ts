import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv, Principal } from "./context.ts";
import { assertOwnerOrRole, requireSelfOrRole, requireUser } from "./guards.ts";
import { onError } from "./problem-response.ts";

const user = (id: string, ...roles: Principal["roles"]): Principal => ({ id, kind: "user", roles });

function appAs(principal: Principal | null) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("requestId", "req-test");
    c.set("principal", principal);
    await next();
  });
  app.get("/users/:id", requireSelfOrRole("id", { roles: ["admin"], visibleTo: ["support"] }), (c) => c.text("ok"));
  app.get("/me", requireUser, (c) => c.text("ok"));
  app.onError(onError);
  return app;
}

describe("ownership guards", () => {
  it("lets the owner and the listed roles through", async () => {
    expect((await appAs(user("u1", "customer")).request("/users/u1")).status).toBe(200);
    expect((await appAs(user("u2", "admin")).request("/users/u1")).status).toBe(200);
  });

  it("hides others' resources with 404, and answers 403 to roles that can see them", async () => {
    expect((await appAs(user("u2", "customer")).request("/users/u1")).status).toBe(404);
    expect((await appAs(user("u2", "analyst")).request("/users/u1")).status).toBe(404);
    expect((await appAs(user("u2", "support")).request("/users/u1")).status).toBe(403);
    expect((await appAs(null).request("/users/u1")).status).toBe(401);
  });

  it("does not treat a service principal with the owner's id as the owner", () => {
    expect(() => assertOwnerOrRole({ id: "u1", kind: "service", roles: [] }, "u1", { roles: ["admin"] })).toThrow();
  });

  it("tells user tokens from service tokens", async () => {
    expect((await appAs(user("u1", "customer")).request("/me")).status).toBe(200);
    expect((await appAs({ id: "ops", kind: "service", roles: ["admin"] }).request("/me")).status).toBe(403);
  });
});
