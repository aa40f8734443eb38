/** Two-factor sign-in over HTTP: TOTP enrolment, step-up login, replay, recovery codes, removal and throttling. */
import { decodeJwt, importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { clientIp, login, outboxEvents, registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { base32Decode } from "./crypto.ts";
import { STEP_SECONDS, totp } from "./totp.ts";

type Problem = { code: string };
type SignIn = { mfaRequired: boolean; mfaTicket?: string; accessToken?: string; refreshToken?: string; sessionId?: string };

/** A moment well inside a 30-second step, so codes for steps around it stay valid while the test runs. */
async function steadyNow(): Promise<number> {
  const into = Date.now() % (STEP_SECONDS * 1000);
  if (into > 25_000) await new Promise((r) => setTimeout(r, STEP_SECONDS * 1000 - into + 50));
  return Date.now();
}

const post = (path: string, token: string | null, json: unknown, ip = clientIp()) =>
  api(path, { method: "POST", token, json, headers: { "cf-connecting-ip": ip } });

/** Enrols and confirms TOTP with the code of `confirmStep` (relative to `t0`); returns the secret and recovery codes. */
async function enableMfa(user: TestUser, t0: number, confirmStep = -1) {
  const enrol = await post("/api/auth/mfa/totp/enroll", user.accessToken, { password: user.password });
  expect(enrol.status).toBe(200);
  const { secret } = (await enrol.json()) as { secret: string };
  const key = base32Decode(secret)!;
  const confirm = await post("/api/auth/mfa/totp/confirm", user.accessToken, {
    code: await totp(key, t0 + confirmStep * STEP_SECONDS * 1000),
  });
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  return { key, recoveryCodes, code: (step: number) => totp(key, t0 + step * STEP_SECONDS * 1000) };
}

async function ticketFor(user: TestUser): Promise<string> {
  const res = await login(user.email, user.password);
  const body = (await res.json()) as SignIn;
  expect(body.mfaRequired).toBe(true);
  return body.mfaTicket!;
}

describe("enrolment", () => {
  it("needs the current password, gives an otpauth URI, and turns on only with a right code", async () => {
    const user = await registerAndLogin();
    expect((await post("/api/auth/mfa/totp/enroll", user.accessToken, {})).status).toBe(400);
    expect((await post("/api/auth/mfa/totp/enroll", user.accessToken, { password: "wrong-password-here" })).status).toBe(400);

    const res = await post("/api/auth/mfa/totp/enroll", user.accessToken, { password: user.password });
    const enrolment = (await res.json()) as { secret: string; otpauthUri: string };
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUri).toContain(`secret=${enrolment.secret}`);
    expect(decodeURIComponent(enrolment.otpauthUri)).toContain(user.email);
    expect(await (await api("/api/auth/mfa", { token: user.accessToken })).json()).toMatchObject({ enabled: false, pending: true });
    // Until confirmed, sign-in does not ask for it.
    expect(((await (await login(user.email, user.password)).json()) as SignIn).mfaRequired).toBe(false);

    const wrong = await post("/api/auth/mfa/totp/confirm", user.accessToken, { code: "000000" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Problem).code).toBe("INVALID_MFA_CODE");
    const code = await totp(base32Decode(enrolment.secret)!, Date.now());
    const ok = await post("/api/auth/mfa/totp/confirm", user.accessToken, { code });
    expect(ok.status).toBe(200);
    const { recoveryCodes } = (await ok.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(await (await api("/api/auth/mfa", { token: user.accessToken })).json()).toMatchObject({
      enabled: true,
      pending: false,
      recoveryCodesRemaining: 10,
    });
    expect((await outboxEvents(user.userId, "MfaEnabled"))[0]!.payload).toEqual({ userId: user.userId, factor: "totp" });
    expect((await post("/api/auth/mfa/totp/enroll", user.accessToken, { password: user.password })).status).toBe(409);
  });
});

describe("sign-in with a second factor", () => {
  it("answers a ticket instead of tokens, and the ticket with a fresh code gives a session marked as MFA", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0, -1);
    const res = await login(user.email, user.password);
    const body = (await res.json()) as SignIn;
    expect(body).toMatchObject({ mfaRequired: true });
    expect(body).not.toHaveProperty("accessToken");
    expect(body).not.toHaveProperty("refreshToken");

    const done = await post("/api/auth/login/mfa", null, { mfaTicket: body.mfaTicket, code: await mfa.code(0) });
    expect(done.status).toBe(200);
    const tokens = (await done.json()) as SignIn;
    expect(decodeJwt(tokens.accessToken!).sub).toBe(user.userId);
    const sessions = (await (await api("/api/auth/sessions", { token: tokens.accessToken! })).json()) as {
      items: { id: string; mfa: boolean }[];
    };
    expect(sessions.items.find((s) => s.id === tokens.sessionId)!.mfa).toBe(true);

    // The same code again, even with a new ticket, is refused: a code works once.
    const replay = await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), code: await mfa.code(0) });
    expect(replay.status).toBe(400);
    // An older step than the last one used is refused too.
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), code: await mfa.code(-1) })).status).toBe(400);
    const failures = await outboxEvents(user.userId, "LoginFailed");
    expect(failures.at(-1)!.payload).toEqual({ userId: user.userId, method: "mfa", reason: "invalid_second_factor" });
  });

  it("lets only one of two racing uses of a code win", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0, -1);
    const [a, b] = await Promise.all([ticketFor(user), ticketFor(user)]);
    const code = await mfa.code(0);
    const results = await Promise.all([
      post("/api/auth/login/mfa", null, { mfaTicket: a, code }),
      post("/api/auth/login/mfa", null, { mfaTicket: b, code }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("accepts each recovery code once", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0);
    const recoveryCode = mfa.recoveryCodes[3]!.toUpperCase();
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), recoveryCode })).status).toBe(200);
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), recoveryCode })).status).toBe(400);
    expect(
      (await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), recoveryCode: "aaaa-bbbb-cccc-dddd" })).status,
    ).toBe(400);
    expect(await (await api("/api/auth/mfa", { token: user.accessToken })).json()).toMatchObject({ recoveryCodesRemaining: 9 });
  });

  it("refuses a forged or expired ticket, an access token as a ticket, and a ticket as an access token", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0);
    const ticket = await ticketFor(user);
    expect((await api("/api/users/me", { token: ticket })).status).toBe(401);
    const asTicket = await post("/api/auth/login/mfa", null, { mfaTicket: user.accessToken, code: await mfa.code(0) });
    expect(asTicket.status).toBe(401);
    expect(((await asTicket.json()) as Problem).code).toBe("INVALID_MFA_TICKET");

    const jwk = (JSON.parse(String(testEnv.vars.JWT_SIGNING_KEYS)) as (JWK & { kid: string; alg: string })[])[0]!;
    const claims = decodeJwt(ticket);
    const expired = await new SignJWT({ ...claims, iat: claims.iat! - 600, exp: claims.iat! - 300 })
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "mfa-ticket+jwt" })
      .sign(await importJWK(jwk, jwk.alg));
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: expired, code: await mfa.code(0) })).status).toBe(401);
    const [h, , s] = ticket.split(".");
    const otherUser = btoa(JSON.stringify({ ...claims, sub: "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I" }))
      .replaceAll("=", "")
      .replaceAll("+", "-")
      .replaceAll("/", "_");
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: `${h}.${otherUser}.${s}`, code: await mfa.code(0) })).status).toBe(401);
    expect(
      (await post("/api/auth/login/mfa", null, { mfaTicket: ticket, code: await mfa.code(0), recoveryCode: mfa.recoveryCodes[0] })).status,
    ).toBe(422);
  });

  it("throttles code guessing per account", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    await enableMfa(user, t0);
    const ticket = await ticketFor(user);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post("/api/auth/login/mfa", null, { mfaTicket: ticket, code: String(100000 + i) })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });
});

describe("managing the second factor", () => {
  it("replaces recovery codes given a fresh code; the old ones stop working", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0, -1);
    const res = await post("/api/auth/mfa/recovery-codes", user.accessToken, { code: await mfa.code(0) });
    expect(res.status).toBe(200);
    const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), recoveryCode: mfa.recoveryCodes[0] })).status).toBe(
      400,
    );
    expect((await post("/api/auth/login/mfa", null, { mfaTicket: await ticketFor(user), recoveryCode: recoveryCodes[0] })).status).toBe(
      200,
    );
  });

  it("turns off only with a fresh code, after which sign-in needs the password alone", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0, -1);
    expect((await post("/api/auth/mfa/disable", user.accessToken, { code: await mfa.code(-1) })).status).toBe(400);
    expect((await post("/api/auth/mfa/disable", user.accessToken, {})).status).toBe(422);
    expect((await post("/api/auth/mfa/disable", user.accessToken, { code: await mfa.code(0) })).status).toBe(204);
    expect(await (await api("/api/auth/mfa", { token: user.accessToken })).json()).toMatchObject({
      enabled: false,
      pending: false,
      recoveryCodesRemaining: 0,
    });
    expect(((await (await login(user.email, user.password)).json()) as SignIn).mfaRequired).toBe(false);
    expect((await outboxEvents(user.userId, "MfaDisabled")).length).toBe(1);
    expect((await post("/api/auth/mfa/disable", user.accessToken, { code: await mfa.code(1) })).status).toBe(409);
  });

  it("turns off with a recovery code, for a lost authenticator", async () => {
    const t0 = await steadyNow();
    const user = await registerAndLogin();
    const mfa = await enableMfa(user, t0);
    expect((await post("/api/auth/mfa/disable", user.accessToken, { recoveryCode: mfa.recoveryCodes[9] })).status).toBe(204);
  });

  it("is for signed-in users only", async () => {
    expect((await api("/api/auth/mfa", { token: null })).status).toBe(401);
    expect((await api("/api/auth/mfa")).status).toBe(403);
  });
});
