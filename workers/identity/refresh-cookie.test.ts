/** Browser sessions: the refresh token in an HttpOnly cookie scoped to the refresh route, with a double-submit CSRF token. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { clientIp, registerAndLogin } from "../../test/helpers/identity.ts";

type Tokens = { accessToken: string; refreshToken: string; sessionId: string };
type Problem = { status: number; code: string };

/** name=value of each Set-Cookie, with its attributes. */
function cookies(res: Response): Map<string, { value: string; attributes: string }> {
  return new Map(
    res.headers.getSetCookie().map((line) => {
      const [pair = "", ...rest] = line.split(";");
      const at = pair.indexOf("=");
      return [pair.slice(0, at).trim(), { value: pair.slice(at + 1), attributes: rest.join(";").toLowerCase() }];
    }),
  );
}

async function browserSignIn() {
  const me = await registerAndLogin("support");
  const res = await api("/api/auth/login", {
    method: "POST",
    token: null,
    json: { email: me.email, password: me.password },
    headers: { "cf-connecting-ip": clientIp(), "x-refresh-cookie": "1" },
  });
  expect(res.status).toBe(200);
  return { me, tokens: (await res.json()) as Tokens, jar: cookies(res) };
}

const cookieRefresh = (refresh: string | undefined, csrf: string | undefined, echoed: string | undefined) =>
  api("/api/auth/refresh", {
    method: "POST",
    token: null,
    headers: {
      ...(refresh || csrf ? { cookie: [refresh && `ec_refresh=${refresh}`, csrf && `ec_csrf=${csrf}`].filter(Boolean).join("; ") } : {}),
      ...(echoed ? { "x-csrf-token": echoed } : {}),
    },
  });

describe("refresh token in a cookie", () => {
  it("sign-in with X-Refresh-Cookie sets an HttpOnly, Secure, SameSite=Strict cookie on the refresh path and keeps the token out of the body", async () => {
    const { tokens, jar } = await browserSignIn();
    expect(tokens.refreshToken).toBe("");
    expect(tokens.accessToken).toBeTruthy();
    const refresh = jar.get("ec_refresh");
    expect(refresh?.value).toMatch(/^rt_/);
    expect(refresh?.attributes).toContain("httponly");
    expect(refresh?.attributes).toContain("secure");
    expect(refresh?.attributes).toContain("samesite=strict");
    expect(refresh?.attributes).toContain("path=/api/auth/refresh");
    const csrf = jar.get("ec_csrf");
    expect(csrf?.value).toMatch(/^csrf_/);
    expect(csrf?.attributes).not.toContain("httponly");
  });

  it("a sign-in without the header still answers the refresh token in the body and sets no cookie", async () => {
    const me = await registerAndLogin();
    const res = await api("/api/auth/login", {
      method: "POST",
      token: null,
      json: { email: me.email, password: me.password },
      headers: { "cf-connecting-ip": clientIp() },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Tokens).refreshToken).toMatch(/^rt_/);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("refreshes from the cookie with the CSRF token echoed, rotates the cookie, and the old cookie no longer works", async () => {
    const { jar } = await browserSignIn();
    const rt = jar.get("ec_refresh")!.value;
    const csrf = jar.get("ec_csrf")!.value;
    const res = await cookieRefresh(rt, csrf, csrf);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Tokens;
    expect(body.refreshToken).toBe("");
    const next = cookies(res);
    expect(next.get("ec_refresh")?.value).toMatch(/^rt_/);
    expect(next.get("ec_refresh")?.value).not.toBe(rt);
    // The new access token works.
    expect((await api("/api/users/me", { token: body.accessToken })).status).toBe(200);
    // Replaying the rotated-out cookie is reuse: refused, and the cookies are cleared.
    const reused = await cookieRefresh(rt, csrf, csrf);
    expect(reused.status).toBe(401);
    expect(cookies(reused).get("ec_refresh")?.attributes).toContain("max-age=0");
  });

  it("refuses a cookie refresh without the CSRF token, or with another value, with 403 and leaves the session working", async () => {
    const { jar } = await browserSignIn();
    const rt = jar.get("ec_refresh")!.value;
    const csrf = jar.get("ec_csrf")!.value;
    for (const res of [
      await cookieRefresh(rt, csrf, undefined),
      await cookieRefresh(rt, csrf, "csrf_forged"),
      await cookieRefresh(rt, undefined, csrf),
    ]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as Problem).code).toBe("FORBIDDEN");
    }
    expect((await cookieRefresh(rt, csrf, csrf)).status).toBe(200);
  });

  it("answers 401 without a body token or cookie, and 422 for a malformed body", async () => {
    const none = await cookieRefresh(undefined, undefined, undefined);
    expect(none.status).toBe(401);
    const bad = await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken: 5 } });
    expect(bad.status).toBe(422);
  });
});
