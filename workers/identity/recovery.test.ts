/** Email verification, forgotten and reset passwords, and password change over HTTP. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { clientIp, login, mailedToken, outboxEvents, registerAndLogin, strongPassword, uniqueEmail } from "../../test/helpers/identity.ts";
import { sha256Hex } from "./crypto.ts";

type Problem = { code: string; errors?: { field: string }[] };
const post = (path: string, json: unknown, token: string | null = null) =>
  api(path, { method: "POST", token, json, headers: { "cf-connecting-ip": clientIp() } });
const expireToken = async (token: string) =>
  withTestDb(async (db) =>
    db.execute(sql`update auth.one_time_tokens set expires_at = now() - interval '1 second' where token_hash = ${await sha256Hex(token)}`),
  );
const me = async (token: string) => (await (await api("/api/users/me", { token })).json()) as { emailVerified: boolean; email: string };

describe("email verification", () => {
  it("verifies the address with the mailed token, once", async () => {
    const user = await registerAndLogin();
    const token = await mailedToken(user.userId, "EmailVerificationRequested");
    expect(await sha256Hex(token)).toMatch(/^[0-9a-f]{64}$/);
    const stored = await withTestDb(
      async (db) =>
        (await db.execute<{ n: string }>(sql`select count(*) as n from auth.one_time_tokens where token_hash = ${token}`)).rows[0]!.n,
    );
    expect(Number(stored)).toBe(0);

    const res = await post("/api/auth/verify-email", { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: user.userId, emailVerified: true });
    expect((await me(user.accessToken)).emailVerified).toBe(true);
    expect((await outboxEvents(user.userId, "UserEmailVerified")).length).toBe(1);

    const again = await post("/api/auth/verify-email", { token });
    expect(again.status).toBe(400);
    expect(((await again.json()) as Problem).code).toBe("INVALID_TOKEN");
  });

  it("refuses an expired token, a reset token, and a token for an address the account no longer has", async () => {
    const user = await registerAndLogin();
    const first = await mailedToken(user.userId, "EmailVerificationRequested");
    await expireToken(first);
    expect((await post("/api/auth/verify-email", { token: first })).status).toBe(400);

    expect((await post("/api/auth/verify-email/resend", {}, user.accessToken)).status).toBe(202);
    const second = await mailedToken(user.userId, "EmailVerificationRequested");
    expect(second).not.toBe(first);
    await api(`/api/users/${user.userId}`, {
      method: "PUT",
      token: user.accessToken,
      json: { email: uniqueEmail("moved"), currentPassword: user.password },
    });
    // Asking for a change alone keeps the address, and its verification link stays good until the change is confirmed.
    expect((await me(user.accessToken)).emailVerified).toBe(false);
    const change = await mailedToken(user.userId, "EmailChangeRequested");
    expect((await post("/api/auth/email-change/confirm", { token: change })).status).toBe(200);
    expect((await post("/api/auth/verify-email", { token: second })).status).toBe(400);
    // The confirmation proved the new address: nothing is left to verify.
    expect((await me(user.accessToken)).emailVerified).toBe(true);
    expect((await post("/api/auth/verify-email/resend", {}, user.accessToken)).status).toBe(409);
  });
});

describe("forgotten password", () => {
  it("answers the same for known and unknown addresses, and mails only the account holder", async () => {
    const user = await registerAndLogin();
    const known = await post("/api/auth/forgot-password", { email: user.email.toUpperCase() });
    const unknown = await post("/api/auth/forgot-password", { email: uniqueEmail("nobody") });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await unknown.json());
    const token = await eventually(
      async () => (await outboxEvents<{ token: string; email: string }>(user.userId, "PasswordResetRequested"))[0]?.payload,
      10_000,
      "the reset mail",
    );
    expect(token.email).toBe(user.email);
    expect(token.token).toMatch(/^pr_/);
  });
});

async function resetTokenFor(user: { userId: string; email: string }): Promise<string> {
  const before = (await outboxEvents(user.userId, "PasswordResetRequested")).length;
  expect((await post("/api/auth/forgot-password", { email: user.email })).status).toBe(202);
  return eventually(
    async () => {
      const events = await outboxEvents<{ token: string }>(user.userId, "PasswordResetRequested");
      return events.length > before ? events.at(-1)!.payload.token : undefined;
    },
    10_000,
    "the reset mail",
  );
}

describe("password reset", () => {
  it("sets the new password, ends every session, voids other reset tokens and works once", async () => {
    const user = await registerAndLogin();
    const older = await resetTokenFor(user);
    const token = await resetTokenFor(user);
    const newPassword = strongPassword();

    expect((await post("/api/auth/reset-password", { token, newPassword })).status).toBe(204);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, newPassword)).status).toBe(200);
    expect((await post("/api/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await post("/api/auth/reset-password", { token, newPassword: strongPassword() })).status).toBe(400);
    expect((await post("/api/auth/reset-password", { token: older, newPassword: strongPassword() })).status).toBe(400);
    expect((await outboxEvents(user.userId, "PasswordChanged"))[0]!.payload).toEqual({ userId: user.userId, via: "reset" });
    expect((await outboxEvents(user.userId, "SessionsRevoked"))[0]!.payload).toMatchObject({ reason: "password_reset", count: 1 });
    // Receiving the mail proved the address.
    expect((await me(((await (await login(user.email, newPassword)).json()) as { accessToken: string }).accessToken)).emailVerified).toBe(
      true,
    );
  });

  it("refuses an expired token, and keeps the token usable after a refused weak password", async () => {
    const user = await registerAndLogin();
    const expired = await resetTokenFor(user);
    await expireToken(expired);
    expect((await post("/api/auth/reset-password", { token: expired, newPassword: strongPassword() })).status).toBe(400);

    const token = await resetTokenFor(user);
    const weak = await post("/api/auth/reset-password", { token, newPassword: "password12345" });
    expect(weak.status).toBe(422);
    expect(((await weak.json()) as Problem).errors!.map((e) => e.field)).toEqual(["newPassword"]);
    expect((await post("/api/auth/reset-password", { token, newPassword: strongPassword() })).status).toBe(204);
  });

  it("does not take a verification token as a reset token", async () => {
    const user = await registerAndLogin();
    const token = await mailedToken(user.userId, "EmailVerificationRequested");
    expect((await post("/api/auth/reset-password", { token, newPassword: strongPassword() })).status).toBe(400);
  });

  it("lets only one of two racing uses of a token succeed", async () => {
    const user = await registerAndLogin();
    const token = await resetTokenFor(user);
    const [a, b] = [strongPassword(), strongPassword()];
    const results = await Promise.all([
      post("/api/auth/reset-password", { token, newPassword: a }),
      post("/api/auth/reset-password", { token, newPassword: b }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    const winner = results[0]!.status === 204 ? a : b;
    expect((await login(user.email, winner)).status).toBe(200);
  });
});

describe("password change", () => {
  it("needs the current password, ends the other sessions and starts a new one", async () => {
    const user = await registerAndLogin();
    const wrong = await post(
      "/api/auth/change-password",
      { currentPassword: "not-my-password", newPassword: strongPassword() },
      user.accessToken,
    );
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Problem).code).toBe("INVALID_PASSWORD");

    const newPassword = strongPassword();
    const res = await post("/api/auth/change-password", { currentPassword: user.password, newPassword }, user.accessToken);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { refreshToken: string; accessToken: string };
    expect((await post("/api/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await post("/api/auth/refresh", { refreshToken: tokens.refreshToken })).status).toBe(200);
    expect((await login(user.email, newPassword)).status).toBe(200);
    expect(
      (await post("/api/auth/change-password", { currentPassword: newPassword, newPassword: "qwertyuiop1234" }, tokens.accessToken)).status,
    ).toBe(422);
  });
});
