/**
 * SSO through trusted OpenID Connect issuers. The issuer is played by the
 * test: it makes its own key pair and serves its JWKS through a stub of the
 * outbound fetch, so jose's remote key set runs for real with no network.
 */
import { sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { clientIp, login, outboxEvents, registerAndLogin, uniqueEmail } from "../../test/helpers/identity.ts";
import { breakerPolicy } from "../platform/resilience/config.ts";

const ISSUER = "https://idp.test.example";
const AUDIENCE = "edge-commerce-test-client";
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const OTHER_ISSUER = "https://other-idp.test.example";
const issuerCircuit = (issuer: string) => testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", `oidc:${issuer}`);

type SignIn = { mfaRequired: boolean; userId?: string; accessToken?: string; mfaTicket?: string };
type Problem = { code: string };

let issuerKey: CryptoKey;
let jwks: { keys: JWK[] };
let jwksFetches = 0;
let otherFetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  issuerKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "idp-key-1", alg: "RS256", use: "sig" }] };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === JWKS_URL) {
      jwksFetches++;
      return Response.json(jwks);
    }
    if (url.startsWith(OTHER_ISSUER)) {
      otherFetches++;
      return new Response("unavailable", { status: 503 });
    }
    return realFetch(input, init);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  // The circuit opened on purpose below closes again for the files after this one.
  for (const issuer of [ISSUER, OTHER_ISSUER]) await issuerCircuit(issuer).reset();
  await new Promise((r) => setTimeout(r, 1100));
});

const now = () => Math.floor(Date.now() / 1000);
function idToken(
  claims: JWTPayload,
  options: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string; iss?: string; aud?: string } = {},
) {
  return new SignJWT({ iss: options.iss ?? ISSUER, aud: options.aud ?? AUDIENCE, iat: now(), exp: now() + 300, ...claims })
    .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "idp-key-1" })
    .sign(options.key ?? issuerKey);
}
const exchange = async (token: string) =>
  api("/api/auth/sso/exchange", { method: "POST", token: null, json: { idToken: token }, headers: { "cf-connecting-ip": clientIp() } });
const exchange2 = async (token: Promise<string>) => exchange(await token);
const subject = () => `idp-subject-${crypto.randomUUID()}`;

describe("SSO exchange", () => {
  it("creates an account on the first sign-in and finds it again on the next", async () => {
    const email = uniqueEmail("sso");
    const sub = subject();
    const res = await exchange(await idToken({ sub, email, email_verified: true, name: "Idp User" }));
    expect(res.status).toBe(200);
    const first = (await res.json()) as SignIn;
    expect(first.mfaRequired).toBe(false);
    const profile = (await (await api("/api/users/me", { token: first.accessToken! })).json()) as {
      email: string;
      name: string;
      emailVerified: boolean;
    };
    expect(profile).toMatchObject({ email, name: "Idp User", emailVerified: true });
    expect((await outboxEvents(first.userId!, "UserRegistered"))[0]!.payload).toMatchObject({ via: "sso", emailVerified: true });
    expect((await outboxEvents(first.userId!, "UserAuthenticated"))[0]!.payload).toMatchObject({ method: "sso" });
    expect(jwksFetches).toBeGreaterThan(0);

    const again = (await (await exchange(await idToken({ sub, email, email_verified: true }))).json()) as SignIn;
    expect(again.userId).toBe(first.userId);
    // An SSO-only account has no password to sign in with.
    expect((await login(email, "any-password-at-all")).status).toBe(401);
  });

  it("links an existing account when the issuer has verified the same address", async () => {
    const user = await registerAndLogin();
    const res = await exchange(await idToken({ sub: subject(), email: user.email.toUpperCase(), email_verified: true }));
    expect(((await res.json()) as SignIn).userId).toBe(user.userId);
    const links = await withTestDb(
      async (db) => (await db.execute(sql`select 1 from auth.external_identities where user_id = ${user.userId}`)).rows.length,
    );
    expect(links).toBe(1);
  });

  it("refuses to link on an address the issuer has not verified", async () => {
    const user = await registerAndLogin();
    const res = await exchange(await idToken({ sub: subject(), email: user.email, email_verified: false }));
    expect(res.status).toBe(409);
    expect(((await res.json()) as Problem).code).toBe("SSO_ACCOUNT_EXISTS");
  });

  it("creates an unverified account and asks for verification when the address is not verified", async () => {
    const email = uniqueEmail("sso-unverified");
    const res = (await (await exchange(await idToken({ sub: subject(), email }))).json()) as SignIn;
    expect((await outboxEvents<{ email: string }>(res.userId!, "EmailVerificationRequested"))[0]!.payload.email).toBe(email);
  });

  it("needs an address to make an account", async () => {
    const res = await exchange(await idToken({ sub: subject() }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).code).toBe("SSO_EMAIL_REQUIRED");
  });

  it("gives two racing first sign-ins of one identity one account", async () => {
    const sub = subject();
    const email = uniqueEmail("sso-race");
    const results = await Promise.all(
      [1, 2, 3].map(async () => (await (await exchange(await idToken({ sub, email, email_verified: true }))).json()) as SignIn),
    );
    expect(new Set(results.map((r) => r.userId)).size).toBe(1);
  });

  it("asks for the second factor when the account has one", async () => {
    const user = await registerAndLogin();
    await withTestDb((db) =>
      db.execute(sql`insert into auth.mfa_factors (user_id, secret, confirmed_at) values (${user.userId}, 'v1.x.y', now())`),
    );
    const res = (await (await exchange(await idToken({ sub: subject(), email: user.email, email_verified: true }))).json()) as SignIn;
    expect(res.mfaRequired).toBe(true);
    expect(res.mfaTicket).toBeTruthy();
  });
});

describe("SSO token checks", () => {
  const refused = async (token: string | Promise<string>) => {
    const res = await exchange(await token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as Problem).code).toBe("INVALID_EXTERNAL_TOKEN");
  };

  it("refuses untrusted issuers, other audiences and expired tokens", async () => {
    const email = uniqueEmail("sso-bad");
    await refused(idToken({ sub: subject(), email }, { iss: "https://evil.example" }));
    await refused(idToken({ sub: subject(), email }, { aud: "another-client" }));
    await refused(idToken({ sub: subject(), email, iat: now() - 900, exp: now() - 120 }));
  });

  it("refuses a stranger's key, an unknown kid, HMAC with the public key, and alg none", async () => {
    const stranger = await generateKeyPair("RS256");
    await refused(idToken({ sub: subject() }, { key: stranger.privateKey }));
    await refused(idToken({ sub: subject() }, { key: stranger.privateKey, kid: "unknown-kid" }));
    await refused(idToken({ sub: subject() }, { alg: "HS256", key: new TextEncoder().encode(JSON.stringify(jwks.keys[0])) }));
    const b64 = (v: unknown) => btoa(JSON.stringify(v)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
    await refused(
      `${b64({ alg: "none", kid: "idp-key-1" })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: subject(), iat: now(), exp: now() + 300 })}.`,
    );
    await refused("not-a-jwt");
  });

  it("answers 503 when an issuer's keys cannot be fetched, opens that issuer's circuit only, and leaves password sign-in alone", async () => {
    const user = await registerAndLogin();
    const unreachable = () => exchange2(idToken({ sub: subject() }, { iss: OTHER_ISSUER, aud: "other-client" }));
    for (let i = 0; i < 5; i++) {
      const res = await unreachable();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await res.json()) as Problem).code).toBe("SSO_PROVIDER_UNAVAILABLE");
    }
    // Five failures in a row open the failing issuer's circuit: its next token waits, without a key fetch.
    await eventually(async () => {
      const before = otherFetches;
      const res = await unreachable();
      return res.status === 503 && otherFetches === before ? true : undefined;
    }, 5000);
    const policy = breakerPolicy(testEnv);
    expect(await issuerCircuit(OTHER_ISSUER).view(policy)).toMatchObject({ state: "open" });
    // The other issuer has a circuit of its own, still closed: its users sign in, with a key fetch.
    const res = await exchange(await idToken({ sub: subject(), email: uniqueEmail("sso"), email_verified: true }));
    expect(res.status).toBe(200);
    expect(await issuerCircuit(ISSUER).view(policy)).toMatchObject({ state: "closed" });
    // Health and metrics list each issuer's circuit.
    const health = (await (await api("/api/health")).json()) as { checks: { circuits: { circuits: Record<string, string> } } };
    expect(health.checks.circuits.circuits).toMatchObject({ [`oidc:${OTHER_ISSUER}`]: "open", [`oidc:${ISSUER}`]: "closed" });
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it("never accepts an external ID token as this API's access token", async () => {
    const token = await idToken({ sub: subject(), email: uniqueEmail("sso"), email_verified: true });
    expect((await api("/api/users/me", { token })).status).toBe(401);
  });
});
