/** Sign-in, access tokens, refresh rotation with reuse detection, sign-out, and hash upgrades at sign-in. */

import { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { clientIp, login, outboxEvents, registerAndLogin, uniqueEmail } from "../../test/helpers/identity.ts";
import type { AppEnv } from "../platform/context.ts";
import { authRoutes } from "./auth-routes.ts";
import { hashPassword } from "./password.ts";
import { usersRoutes } from "./users-routes.ts";

type Tokens = {
  mfaRequired: boolean;
  tokenType: string;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  sessionId: string;
  userId: string;
};
type Problem = { code: string; detail: string };

const refresh = (refreshToken: string) => api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken } });
const signingKids = () => (JSON.parse(String(testEnv.vars.JWT_SIGNING_KEYS)) as { kid: string }[]).map((k) => k.kid);

describe("login", () => {
  it("answers an access token with the claims the API relies on, and a refresh token", async () => {
    const me = await registerAndLogin();
    const res = await login(me.email, me.password);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    expect(tokens).toMatchObject({ mfaRequired: false, tokenType: "Bearer", expiresIn: 900, userId: me.userId });
    expect(tokens.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const header = decodeProtectedHeader(tokens.accessToken);
    expect(header).toEqual({ alg: "EdDSA", kid: signingKids()[0], typ: "at+jwt" });
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({
      sub: me.userId,
      roles: ["customer"],
      iss: "https://api.test",
      aud: "edge-commerce-test",
      sid: tokens.sessionId,
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toMatch(/^atk_/);
    const [event] = (await outboxEvents(me.userId, "UserAuthenticated")).slice(-1);
    expect(event!.payload).toEqual({ userId: me.userId, sessionId: tokens.sessionId, method: "password", mfa: false });
  });

  it("gives a wrong password and an unknown address the same 401, and records the failure without the address", async () => {
    const me = await registerAndLogin();
    const wrong = await login(me.email, "not-the-password-at-all");
    const unknown = await login(uniqueEmail("nobody"), "not-the-password-at-all");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as Problem[];
    expect(a!.code).toBe("INVALID_CREDENTIALS");
    expect({ ...a, requestId: null, instance: null }).toEqual({ ...b, requestId: null, instance: null });
    const [failed] = await outboxEvents(me.userId, "LoginFailed");
    expect(failed!.payload).toEqual({ userId: me.userId, method: "password", reason: "invalid_credentials" });
    expect(JSON.stringify(failed)).not.toContain(me.email);
  });

  it("matches the address case-insensitively", async () => {
    const me = await registerAndLogin();
    expect((await login(me.email.toUpperCase(), me.password)).status).toBe(200);
  });

  it("lets user tokens through the role guards of every family", async () => {
    const [customer, admin] = await Promise.all([registerAndLogin(), registerAndLogin("admin")]);
    expect((await api("/api/pipeline/stats", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/pipeline/stats", { token: admin.accessToken })).status).toBe(200);
  });

  it("upgrades a hash made with older parameters at the next sign-in", async () => {
    const me = await registerAndLogin();
    const legacy = (await hashPassword(me.password, 1_000)).replace("$i=1000,r=1$", "$1000$");
    await withTestDb((db) => db.execute(sql`update users.users set password_hash = ${legacy} where id = ${me.userId}`));
    expect((await login(me.email, me.password)).status).toBe(200);
    const stored = await withTestDb(
      async (db) => (await db.execute<{ h: string }>(sql`select password_hash as h from users.users where id = ${me.userId}`)).rows[0]!.h,
    );
    expect(stored).toMatch(/^pbkdf2-sha256\$i=20000,r=1\$/);
    expect((await login(me.email, me.password)).status).toBe(200);
  });
});

describe("refresh", () => {
  it("rotates: new tokens, and the old refresh token is spent", async () => {
    const me = await registerAndLogin();
    const res = await refresh(me.refreshToken);
    expect(res.status).toBe(200);
    const next = (await res.json()) as Tokens;
    expect(next.refreshToken).not.toBe(me.refreshToken);
    expect(next.sessionId).toBe(me.sessionId);
    expect((await api("/api/users/me", { token: next.accessToken })).status).toBe(200);
    const [event] = await outboxEvents(me.userId, "TokenRefreshed");
    expect(event!.payload).toEqual({ userId: me.userId, sessionId: me.sessionId, generation: 2 });
    expect((await refresh(next.refreshToken)).status).toBe(200);
  });

  it("revokes the whole family when a spent refresh token comes back, and only that family", async () => {
    const me = await registerAndLogin();
    const other = (await (await login(me.email, me.password)).json()) as Tokens;
    const second = (await (await refresh(me.refreshToken)).json()) as Tokens;
    const third = (await (await refresh(second.refreshToken)).json()) as Tokens;

    const replay = await refresh(me.refreshToken);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as Problem).code).toBe("REFRESH_TOKEN_REUSED");
    // The thief's copy and the owner's latest token are both dead now.
    expect((await refresh(third.refreshToken)).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    // Another sign-in of the same user is a different family and lives on.
    expect((await refresh(other.refreshToken)).status).toBe(200);
    const [event] = await outboxEvents(me.userId, "RefreshTokenReused");
    expect(event!.payload).toEqual({ userId: me.userId, sessionId: me.sessionId });
  });

  it("lets only one of two racing exchanges of one token win, and treats the loser as a reuse", async () => {
    const me = await registerAndLogin();
    const [a, b] = await Promise.all([refresh(me.refreshToken), refresh(me.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = (await (a.status === 200 ? a : b).json()) as Tokens;
    expect((await refresh(winner.refreshToken)).status).toBe(401);
  });

  it("refuses an expired refresh token, an access token, and garbage", async () => {
    const me = await registerAndLogin();
    await withTestDb((db) =>
      db.execute(sql`update auth.refresh_tokens set expires_at = now() - interval '1 second' where session_id = ${me.sessionId}`),
    );
    const expired = await refresh(me.refreshToken);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as Problem).code).toBe("INVALID_REFRESH_TOKEN");
    expect((await refresh(me.accessToken)).status).toBe(401);
    expect((await refresh("rt_" + "A".repeat(43))).status).toBe(401);
    expect((await api("/api/auth/refresh", { method: "POST", token: null, json: {} })).status).toBe(422);
  });

  it("gives a session's tokens the role the account has now", async () => {
    const me = await registerAndLogin();
    await api(`/api/users/${me.userId}`, { method: "PUT", json: { role: "analyst" } });
    const next = (await (await refresh(me.refreshToken)).json()) as Tokens;
    expect(decodeJwt(next.accessToken).roles).toEqual(["analyst"]);
  });
});

describe("sign-out", () => {
  it("ends one session with its refresh token, idempotently", async () => {
    const me = await registerAndLogin();
    const logout = () => api("/api/auth/logout", { method: "POST", token: null, json: { refreshToken: me.refreshToken } });
    expect((await logout()).status).toBe(204);
    expect((await logout()).status).toBe(204);
    expect((await refresh(me.refreshToken)).status).toBe(401);
    expect((await api("/api/auth/logout", { method: "POST", token: null, json: { refreshToken: "rt_unknown" } })).status).toBe(204);
  });

  it("ends every session of the user with logout-all", async () => {
    const me = await registerAndLogin();
    const other = (await (await login(me.email, me.password, clientIp())).json()) as Tokens;
    const res = await api("/api/auth/logout-all", { method: "POST", token: me.accessToken });
    expect(await res.json()).toEqual({ revoked: 2 });
    expect((await refresh(me.refreshToken)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await api("/api/auth/logout-all", { method: "POST", token: null })).status).toBe(401);
    const [event] = await outboxEvents(me.userId, "SessionsRevoked");
    expect(event!.payload).toEqual({ userId: me.userId, reason: "logout_all", count: 2 });
  });

  it("lists a user's sessions and ends one, but not someone else's", async () => {
    const [me, other] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const second = (await (await login(me.email, me.password)).json()) as Tokens;
    const list = (await (await api("/api/auth/sessions", { token: me.accessToken })).json()) as {
      items: { id: string; method: string; mfa: boolean }[];
    };
    expect(list.items.map((s) => s.id).sort()).toEqual([me.sessionId, second.sessionId].sort());
    expect((await api(`/api/auth/sessions/${other.sessionId}`, { method: "DELETE", token: me.accessToken })).status).toBe(404);
    expect((await refresh(other.refreshToken)).status).toBe(200);
    expect((await api(`/api/auth/sessions/${second.sessionId}`, { method: "DELETE", token: me.accessToken })).status).toBe(204);
    expect((await refresh(second.refreshToken)).status).toBe(401);
  });
});

describe("documentation", () => {
  it("documents the identity routes with their problem responses in OpenAPI", () => {
    // Generated from these two families alone, so another family's document problems do not hide ours.
    const app = new OpenAPIHono<AppEnv>();
    app.route("/api/users", usersRoutes);
    app.route("/api/auth", authRoutes);
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "identity", version: "1" } }) as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const path of [
      "/api/users/register",
      "/api/users/me",
      "/api/users/{id}",
      "/api/users/{id}/addresses",
      "/api/auth/login",
      "/api/auth/login/mfa",
      "/api/auth/refresh",
      "/api/auth/logout",
      "/api/auth/logout-all",
      "/api/auth/.well-known/jwks.json",
      "/api/auth/verify-email",
      "/api/auth/forgot-password",
      "/api/auth/reset-password",
      "/api/auth/mfa/totp/enroll",
      "/api/auth/sso/exchange",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths["/api/auth/login"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "401", "422", "429"]));
    expect(Object.keys(doc.paths["/api/users/{id}"]!.put!.responses)).toEqual(
      expect.arrayContaining(["200", "401", "403", "404", "409", "422"]),
    );
  });
});
