/**
 * An email change cannot take an account over: the new address must answer,
 * the old one is told and can undo it, and undoing it signs everyone out.
 */
import { describe, expect, it } from "vitest";
import { api, eventually } from "../../test/helpers/http.ts";
import { login, mailedToken, outboxEvents, registerAndLogin, uniqueEmail } from "../../test/helpers/identity.ts";
import { eventuallyCaptured } from "../notifications/test-fixtures.ts";
import { hintOf } from "./email-change.ts";

const post = (path: string, json: unknown, token: string | null = null) => api(path, { method: "POST", token, json });
const me = async (token: string) => api("/api/users/me", { token });
const askFor = (user: { userId: string; accessToken: string; password: string }, email: string) =>
  api(`/api/users/${user.userId}`, { method: "PUT", token: user.accessToken, json: { email, currentPassword: user.password } });

describe("email change", () => {
  it("hints at an address without showing it", () => {
    expect(hintOf("jane.doe@example.com")).toBe("j•••@example.com");
    expect(hintOf("nobody")).toBe("•••");
  });

  it("tells the old address, whose link moves the account back and ends every session", async () => {
    const owner = await registerAndLogin();
    const attackerAddress = uniqueEmail("attacker");
    expect((await askFor(owner, attackerAddress)).status).toBe(200);
    const confirm = await mailedToken(owner.userId, "EmailChangeRequested");
    expect((await post("/api/auth/email-change/confirm", { token: confirm })).status).toBe(200);
    // A confirmation link works once.
    expect((await post("/api/auth/email-change/confirm", { token: confirm })).status).toBe(400);

    const [notice] = await outboxEvents<{ email: string; newEmailHint: string; token: string }>(owner.userId, "EmailChanged");
    expect(notice!.payload).toMatchObject({ email: owner.email, newEmailHint: hintOf(attackerAddress) });
    expect(notice!.payload.token).toMatch(/^er_/);
    // The mails themselves: the confirmation to the new address, the notice (with its way back) to the old one.
    await eventuallyCaptured(attackerAddress, /Confirm your new email address/);
    const [mail] = await eventuallyCaptured(owner.email, /email address of your account was changed/);
    expect(mail!.text).toContain(encodeURIComponent(notice!.payload.token));
    expect(mail!.text).not.toContain(attackerAddress);
    // A changed token finds nothing and changes nothing.
    const altered = `${notice!.payload.token.slice(0, -2)}${notice!.payload.token.endsWith("AA") ? "BB" : "AA"}`;
    expect((await post("/api/auth/email-change/revert", { token: altered })).status).toBe(400);
    expect(((await (await me(owner.accessToken)).json()) as { email: string }).email).toBe(attackerAddress);

    const reverted = await post("/api/auth/email-change/revert", { token: notice!.payload.token });
    expect(reverted.status).toBe(200);
    expect(await reverted.json()).toMatchObject({ userId: owner.userId, email: owner.email });
    // Every session ended: the access token that asked for the change is refused within the revocation bound.
    await eventually(async () => ((await me(owner.accessToken)).status === 401 ? true : undefined), 10_000, "the token refused");
    expect((await post("/api/auth/refresh", { refreshToken: owner.refreshToken })).status).toBe(401);
    expect((await login(owner.email, owner.password)).status).toBe(200);
    expect((await login(attackerAddress, owner.password)).status).toBe(401);
    const [revoked] = await outboxEvents<{ reason: string }>(owner.userId, "SessionsRevoked");
    expect(revoked!.payload.reason).toBe("email_reverted");
  });

  it("keeps only the newest request, and refuses an address another account took meanwhile", async () => {
    const user = await registerAndLogin();
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await askFor(user, first);
    const firstToken = await mailedToken(user.userId, "EmailChangeRequested");
    await askFor(user, second);
    const secondToken = await mailedToken(user.userId, "EmailChangeRequested");
    expect((await post("/api/auth/email-change/confirm", { token: firstToken })).status).toBe(400);

    // Someone registers the pending address before the owner confirms it.
    await registerAndLogin("customer", { email: second });
    const taken = await post("/api/auth/email-change/confirm", { token: secondToken });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { code: string }).code).toBe("EMAIL_TAKEN");
    const view = (await (await me(user.accessToken)).json()) as { email: string; pendingEmail: string | null };
    expect(view).toMatchObject({ email: user.email, pendingEmail: second });
  });

  it("refuses bad input with 422", async () => {
    for (const json of [{}, { token: "" }, { token: "x".repeat(5000) }, { token: "ec_a", extra: 1 }]) {
      const res = await post("/api/auth/email-change/confirm", json);
      expect(res.status).toBe(422);
    }
  });
});
