/** Throttling of sign-in and reset attempts per account and per client address, with real racing requests. */
import { describe, expect, it } from "vitest";
import { api, eventually } from "../../test/helpers/http.ts";
import { clientIp, login, outboxEvents, registerAndLogin, strongPassword, uniqueEmail } from "../../test/helpers/identity.ts";
import { ACCOUNT_FAILURES, ADDRESS_FAILURES, addressBucket } from "./throttle.ts";

type Problem = { code: string; retryAfterSeconds: number };

describe("client address buckets", () => {
  it("keeps IPv4 addresses and groups IPv6 by /64", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("2001:db8:85a3:1:8a2e:370:7334:1")).toBe("2001:db8:85a3:1::/64");
    expect(addressBucket("2001:DB8:85A3:0001::1")).toBe("2001:db8:85a3:1::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket(undefined)).toBe("unknown");
  });
});

describe("sign-in throttling", () => {
  it("lets exactly five of many racing wrong passwords for one account through, then 429 with Retry-After", async () => {
    const me = await registerAndLogin();
    const results = await Promise.all(Array.from({ length: 12 }, () => login(me.email, "wrong-password-guess", clientIp())));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const limited = results.find((r) => r.status === 429)!;
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(ACCOUNT_FAILURES.windowMs / 1000);
    expect(((await limited.json()) as Problem).code).toBe("RATE_LIMITED");
    // Without a second factor the right password is held back too: a reset mail is the owner's way past.
    expect((await login(me.email, me.password, clientIp())).status).toBe(429);
  });

  it("lets the owner past the account back-off with the password and a second factor, or after a reset", async () => {
    const me = await registerAndLogin();
    for (let i = 0; i < 6; i++) await login(me.email, "wrong-password-guess", clientIp());
    expect((await login(me.email, me.password, clientIp())).status).toBe(429);
    await api("/api/auth/forgot-password", {
      method: "POST",
      token: null,
      json: { email: me.email },
      headers: { "cf-connecting-ip": clientIp() },
    });
    const token = await eventually(async () => {
      const events = await outboxEvents<{ token: string }>(me.userId, "PasswordResetRequested");
      return events.at(-1)?.payload.token;
    });
    const newPassword = strongPassword();
    const reset = await api("/api/auth/reset-password", {
      method: "POST",
      token: null,
      json: { token, newPassword },
      headers: { "cf-connecting-ip": clientIp() },
    });
    expect(reset.status).toBe(204);
    expect((await login(me.email, newPassword, clientIp())).status).toBe(200);
  }, 60_000);

  it("limits one client address across accounts, and not other addresses", async () => {
    const ip = clientIp();
    const statuses: number[] = [];
    // Sized for a shared address: an office's worth of typos, not a password spray.
    for (let i = 0; i <= ADDRESS_FAILURES.limit; i++) statuses.push((await login(uniqueEmail("spray"), "wrong-password-guess", ip)).status);
    expect(statuses).toEqual([...Array<number>(ADDRESS_FAILURES.limit).fill(401), 429]);
    const me = await registerAndLogin();
    expect((await login(me.email, me.password, ip)).status).toBe(429);
    expect((await login(me.email, me.password, clientIp())).status).toBe(200);
  }, 120_000);

  it("groups IPv6 clients by /64", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 65535).toString(16)}:1`;
    const statuses: number[] = [];
    for (let i = 0; i <= ADDRESS_FAILURES.limit; i++)
      statuses.push((await login(uniqueEmail("v6"), "wrong-password-guess", `${prefix}::${i + 1}`)).status);
    expect(statuses.at(-1)).toBe(429);
  }, 120_000);

  it("forgets an account's failures after a successful sign-in", async () => {
    const me = await registerAndLogin();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect((await login(me.email, "wrong-password-guess", clientIp())).status).toBe(401);
      expect((await login(me.email, me.password, clientIp())).status).toBe(200);
    }
  });
});

describe("reset throttling", () => {
  it("limits reset mails per account, with the same answer whether the account exists or not", async () => {
    const me = await registerAndLogin();
    for (const email of [me.email, uniqueEmail("ghost")]) {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await api("/api/auth/forgot-password", {
              method: "POST",
              token: null,
              json: { email },
              headers: { "cf-connecting-ip": clientIp() },
            })
          ).status,
        );
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    }
  });

  it("limits reset-token guesses per client address", async () => {
    const ip = clientIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api("/api/auth/reset-password", {
        method: "POST",
        token: null,
        json: { token: `pr_guess${i}`, newPassword: "tangerine-oxygen-velvet" },
        headers: { "cf-connecting-ip": ip },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });
});
