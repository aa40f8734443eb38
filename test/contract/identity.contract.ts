/** Sign-up, sign-in, roles and the sign-in throttle (a per-key object) on every runtime. */
import { describe, expect, it } from "vitest";
import { api, clientIp, json, runtime, signUp, uid } from "./client.ts";

describe(`identity contract (${runtime})`, () => {
  it("registers, signs in and answers the caller's own profile, but 404 for another user's", async () => {
    const [maria, noah] = await Promise.all([signUp(), signUp()]);
    const me = await json<{ id: string; email: string }>(await api(`/api/users/${maria.userId}`, { token: maria.accessToken }), 200);
    expect(me).toMatchObject({ id: maria.userId, email: maria.email });
    expect((await api(`/api/users/${noah.userId}`, { token: maria.accessToken })).status).toBe(404);
  });

  it("gives a customer 403 on a staff route and an admin 200", async () => {
    const [customer, admin] = await Promise.all([signUp(), signUp("admin")]);
    expect((await api("/api/audit/entries", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/audit/entries", { token: admin.accessToken })).status).toBe(200);
  });

  it("answers 422 problem+json for bad input, a NUL byte included, and writes nothing", async () => {
    const email = `nul-${uid()}@contract.example`;
    const res = await api("/api/users/register", {
      method: "POST",
      token: null,
      json: { email, password: "short\u0000", name: "x".repeat(100_000) },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // No account was made: signing in as that address fails like any unknown account (a NUL byte itself is refused with 422 at the edge).
    const login = await api("/api/auth/login", { method: "POST", token: null, json: { email, password: "any-password-1" } });
    expect(login.status).toBe(401);
  });

  it("counts racing wrong passwords exactly: five refusals, then 429 for the rest, then even the right password waits", async () => {
    const user = await signUp();
    const ip = clientIp();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () =>
        api("/api/auth/login", { method: "POST", token: null, ip, json: { email: user.email, password: "wrong-password-123-abc" } }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const right = await api("/api/auth/login", { method: "POST", token: null, ip, json: { email: user.email, password: user.password } });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
