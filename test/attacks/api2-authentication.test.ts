/**
 * OWASP API2, broken authentication: forged and tampered tokens, tokens
 * outliving what revoked them, and unthrottled sign-ups and sign-ins. Each
 * refused attack leaves the account as it was.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";
import { clientIp, login, registerAndLogin, strongPassword, uniqueEmail } from "../helpers/identity.ts";
import { problemCode, readJson, refusedUnchanged } from "./helpers.ts";

const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const decode = (part: string) => JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;

describe("API2 authentication", { timeout: 120_000 }, () => {
  it("refuses forged and tampered access tokens on every kind of route", async () => {
    const user = await registerAndLogin();
    const [header, payload, signature] = user.accessToken.split(".") as [string, string, string];
    const claims = decode(payload);
    const forged = [
      `${b64url(JSON.stringify({ alg: "none", typ: "at+jwt" }))}.${payload}.`,
      `${header}.${b64url(JSON.stringify({ ...claims, roles: ["admin"] }))}.${signature}`,
      `${header}.${b64url(JSON.stringify({ ...claims, sub: "usr_01J0000000000000000000000" }))}.${signature}`,
      `${header}.${b64url(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 }))}.${signature}`,
      `${b64url(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: decode(header).kid }))}.${payload}.${signature}`,
      "not-a-token",
    ];
    const read = () => readJson(`/api/users/${user.userId}`, user.accessToken);
    for (const token of forged) {
      await refusedUnchanged(read, () => api("/api/users", { token }), [401], `list users with ${token.slice(0, 30)}`);
      await refusedUnchanged(
        read,
        () => api(`/api/users/${user.userId}`, { method: "PUT", token, json: { name: "Forged" } }),
        [401],
        "change the account",
      );
    }
  });

  it("does not let a stolen access token alone move the account to another email", async () => {
    const user = await registerAndLogin();
    const read = () => readJson(`/api/users/${user.userId}`, user.accessToken);
    for (const extra of [{}, { currentPassword: "a-guessed-password" }]) {
      const res = await refusedUnchanged(
        read,
        () => api(`/api/users/${user.userId}`, { method: "PUT", token: user.accessToken, json: { email: uniqueEmail("thief"), ...extra } }),
        [403],
        "change the email with the token only",
      );
      expect(await problemCode(res)).toBe("REAUTHENTICATION_REQUIRED");
    }
  });

  it("stops an access token at once after logout-all, a password change, a role change and deletion", async () => {
    const a = await registerAndLogin();
    expect((await api("/api/users/me", { token: a.accessToken })).status).toBe(200);
    expect((await api("/api/auth/logout-all", { method: "POST", token: a.accessToken })).status).toBe(200);
    expect((await api("/api/users/me", { token: a.accessToken })).status).toBe(401);

    const b = await registerAndLogin();
    const changed = await api("/api/auth/change-password", {
      method: "POST",
      token: b.accessToken,
      json: { currentPassword: b.password, newPassword: strongPassword() },
    });
    expect(changed.status).toBe(200);
    expect((await api("/api/users/me", { token: b.accessToken })).status).toBe(401);
    expect((await api("/api/users/me", { token: ((await changed.json()) as { accessToken: string }).accessToken })).status).toBe(200);

    const c = await registerAndLogin("support");
    expect((await api("/api/users?limit=1", { token: c.accessToken })).status).toBe(200);
    expect((await api(`/api/users/${c.userId}`, { method: "PUT", json: { role: "customer" } })).status).toBe(200);
    // The token still names support: it stops, and a refresh gives one with the new role.
    expect((await api("/api/users?limit=1", { token: c.accessToken })).status).toBe(401);

    const d = await registerAndLogin();
    expect((await api(`/api/users/${d.userId}`, { method: "DELETE", token: d.accessToken })).status).toBe(204);
    expect((await api("/api/cart", { token: d.accessToken })).status).toBe(401);
  });

  it("stops a token revoked elsewhere within the revocation check's bound", async () => {
    const user = await registerAndLogin();
    expect((await api("/api/users/me", { token: user.accessToken })).status).toBe(200);
    // Revoked behind this isolate's back, as another isolate would: only the bound (5 s in tests) lets it through.
    await withTestDb((db) =>
      db.execute(sql`update auth.sessions set revoked_at = now(), revoked_reason = 'logout_all' where id = ${user.sessionId}`),
    );
    const deadline = Date.now() + 5_000 + 1_500;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await api("/api/users/me", { token: user.accessToken })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
  });

  it("throttles sign-ups per address signed up, checking the cheap things before hashing", async () => {
    const email = uniqueEmail("signup");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api("/api/users/register", {
        method: "POST",
        token: null,
        json: { email, password: strongPassword(), name: "Bulk" },
        headers: { "cf-connecting-ip": clientIp() },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 409, 409, 409, 409, 429]);
    const count = await withTestDb(
      async (db) => (await db.execute<{ n: string }>(sql`select count(*) as n from users.users where email = ${email}`)).rows[0]!.n,
    );
    expect(Number(count)).toBe(1);
  });

  it("counts wrong passwords, not sign-ins, per shared address", async () => {
    const ip = clientIp();
    const colleagues = await Promise.all(Array.from({ length: 8 }, () => registerAndLogin()));
    for (const colleague of colleagues) {
      expect((await login(colleague.email, colleague.password, ip)).status).toBe(200);
      expect((await login(colleague.email, colleague.password, ip)).status).toBe(200);
    }
  });

  it("answers a locked account's wrong passwords 429 and leaves it as it was", async () => {
    const user = await registerAndLogin();
    const read = () => readJson(`/api/users/${user.userId}`, user.accessToken);
    for (let i = 0; i < 5; i++) await login(user.email, `wrong-${i}-password`, clientIp());
    const res = await refusedUnchanged(read, () => login(user.email, "wrong-again-password", clientIp()), [429], "guess a locked account");
    expect(await problemCode(res)).toBe("RATE_LIMITED");
  });
});
