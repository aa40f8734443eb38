/**
 * The attack suite on access tokens: every forgery, confusion and misuse
 * below must get 401 on a route that needs a user, while the control token
 * gets through. Forgeries are signed for real, with the configured keys
 * where the attack needs them.
 */
import { decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";

type PrivateJwk = JWK & { kid: string; alg: string; d: string };
const configured = () => JSON.parse(String(testEnv.vars.JWT_SIGNING_KEYS)) as PrivateJwk[];
const b64 = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

let user: TestUser;
let claims: JWTPayload;
beforeAll(async () => {
  user = await registerAndLogin();
  claims = decodeJwt(user.accessToken);
});

const me = (token: string) => api("/api/users/me", { token });
async function expectRefused(token: string) {
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toContain("Bearer");
}

/** Signs `payload` with a configured key (by position in JWT_SIGNING_KEYS) or a given key. */
async function sign(
  payload: JWTPayload,
  header: Record<string, unknown> = {},
  key: { index?: number; secret?: CryptoKey | Uint8Array } = {},
): Promise<string> {
  const jwk = configured()[key.index ?? 0]!;
  const signingKey = key.secret ?? ((await importJWK(jwk, jwk.alg)) as CryptoKey);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt", ...header } as { alg: string })
    .sign(signingKey);
}
const now = () => Math.floor(Date.now() / 1000);
const fresh = () => ({ ...claims, iat: now(), exp: now() + 600 });

describe("access token verification", () => {
  it("accepts the genuine token and a re-signed copy (the controls)", async () => {
    expect((await me(user.accessToken)).status).toBe(200);
    expect((await me(await sign(fresh()))).status).toBe(200);
  });

  it("refuses alg none", async () => {
    const { kid } = configured()[0]!;
    await expectRefused(`${b64({ alg: "none", typ: "at+jwt", kid })}.${b64(fresh())}.`);
    await expectRefused(`${b64({ alg: "none", typ: "at+jwt", kid })}.${b64(fresh())}`);
  });

  it("refuses HS256 signed with the public key as the HMAC secret", async () => {
    const jwks = (await (await api("/api/auth/.well-known/jwks.json", { token: null })).json()) as { keys: JWK[] };
    const pub = jwks.keys[0]!;
    for (const secret of [
      new TextEncoder().encode(JSON.stringify(pub)),
      Uint8Array.from(atob(pub.x!.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0)),
    ]) {
      await expectRefused(await new SignJWT(fresh()).setProtectedHeader({ alg: "HS256", kid: pub.kid, typ: "at+jwt" }).sign(secret));
    }
  });

  it("refuses a token expired beyond the clock skew, and allows one within it", async () => {
    await expectRefused(await sign({ ...claims, iat: now() - 1000, exp: now() - 45 }));
    expect((await me(await sign({ ...claims, iat: now() - 1000, exp: now() - 10 }))).status).toBe(200);
  });

  it("refuses an unknown kid and a stranger's key under a known kid", async () => {
    const stranger = await generateKeyPair("EdDSA", { extractable: true });
    await expectRefused(await sign(fresh(), { kid: "no-such-key" }, { secret: stranger.privateKey }));
    await expectRefused(await sign(fresh(), {}, { secret: stranger.privateKey }));
    // A JWKS URL or embedded key in the header changes nothing.
    await expectRefused(
      await sign(fresh(), { jwk: await exportJWK(stranger.publicKey), jku: "https://evil.example/jwks" }, { secret: stranger.privateKey }),
    );
  });

  it("refuses claims changed under the original signature", async () => {
    const [header, , signature] = user.accessToken.split(".");
    for (const change of [{ roles: ["admin"] }, { sub: "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I" }, { exp: now() + 86_400 }]) {
      await expectRefused(`${header}.${b64({ ...claims, ...change })}.${signature}`);
    }
    // The same trick on the header: claiming another algorithm for the same signature.
    await expectRefused(
      `${b64({ alg: "ES256", kid: configured()[0]!.kid, typ: "at+jwt" })}.${user.accessToken.split(".")[1]}.${signature}`,
    );
  });

  it("refuses the wrong iss, aud and typ", async () => {
    await expectRefused(await sign({ ...fresh(), iss: "https://evil.example" }));
    await expectRefused(await sign({ ...fresh(), aud: "some-other-api" }));
    await expectRefused(await sign(fresh(), { typ: "JWT" }));
    await expectRefused(await sign(fresh(), { typ: "mfa-ticket+jwt" }));
    await expectRefused(await sign(fresh(), { typ: undefined }));
  });

  it("refuses tokens missing required claims or with roles that do not exist", async () => {
    const { jti: _jti, ...noJti } = fresh();
    await expectRefused(await sign(noJti));
    const { sub: _sub, ...noSub } = fresh();
    await expectRefused(await sign(noSub));
    await expectRefused(await sign({ ...fresh(), roles: ["superuser"] }));
    await expectRefused(await sign({ ...fresh(), roles: "admin" }));
  });

  it("never takes a refresh token for an access token, or the other way round", async () => {
    await expectRefused(user.refreshToken);
    const res = await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken: user.accessToken } });
    expect(res.status).toBe(401);
  });

  it("refuses garbage and a token split differently", async () => {
    for (const t of ["x".repeat(40), "a.b.c", `${user.accessToken}.extra`, user.accessToken.slice(0, -3)]) await expectRefused(t);
  });
});

describe("key rotation", () => {
  it("publishes every configured public key, and no private part", async () => {
    const res = await api("/api/auth/.well-known/jwks.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("max-age");
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(configured().map((k) => k.kid));
    expect(jwks.keys.map((k) => k.alg)).toEqual(["EdDSA", "ES256"]);
    for (const key of jwks.keys) {
      expect(key.use).toBe("sig");
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secret);
    }
  });

  it("keeps accepting tokens signed with the previous key until they expire", async () => {
    const previous = await sign(fresh(), {}, { index: 1 });
    expect(configured()[1]!.alg).toBe("ES256");
    expect((await me(previous)).status).toBe(200);
    await expectRefused(await sign({ ...claims, iat: now() - 1000, exp: now() - 60 }, {}, { index: 1 }));
  });

  it("signs new tokens with the newest key only", async () => {
    const header = JSON.parse(atob(user.accessToken.split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/"))) as { kid: string };
    expect(header.kid).toBe(configured()[0]!.kid);
  });
});
