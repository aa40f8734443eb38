/**
 * Access tokens and MFA tickets: JWTs signed with the key ring (EdDSA or
 * ES256, with `kid`). Verification accepts only the configured algorithms
 * (never `none` or an HMAC keyed with a public key), only known key ids, and
 * checks iss, aud, typ and expiry with a small clock skew. The two kinds
 * differ in `typ` and `aud`, so neither passes for the other; refresh tokens
 * are opaque random strings, not JWTs at all.
 */
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { ROLES, type Role } from "../platform/context.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { identityConfig } from "./config.ts";
import { keyRing, requireKeyRing } from "./keys.ts";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const MFA_TICKET_TTL_SECONDS = 5 * 60;
export const CLOCK_SKEW_SECONDS = 30;
/** RFC 9068's media type for JWT access tokens. */
export const ACCESS_TYP = "at+jwt";
export const MFA_TICKET_TYP = "mfa-ticket+jwt";

export interface AccessClaims {
  sub: string;
  roles: Role[];
  sid: string;
  jti: string;
  exp: number;
}

const accessClaims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  sid: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
});
const ticketClaims = z.object({ sub: z.string().min(1), jti: z.string().min(1), method: z.enum(["password", "sso"]) });

type Vars = Pick<Runtime, "vars">;

const mfaAudience = (rt: Vars) => `${identityConfig.read(rt).JWT_AUDIENCE}#mfa`;

export async function signAccessToken(
  rt: Vars,
  input: { userId: string; roles: Role[]; sessionId: string },
): Promise<{ token: string; expiresIn: number }> {
  const ring = await requireKeyRing(rt);
  const config = identityConfig.read(rt);
  const token = await new SignJWT({ roles: input.roles, sid: input.sessionId })
    .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, typ: ACCESS_TYP })
    .setSubject(input.userId)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setJti(newId("atk"))
    .sign(ring.signing.key);
  return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

async function verify(rt: Vars, token: string, typ: string, audience: string): Promise<Record<string, unknown> | null> {
  const ring = await keyRing(rt);
  if (!ring) return null;
  try {
    const { payload } = await jwtVerify(token, ring.verifyKey, {
      algorithms: ring.algorithms,
      issuer: identityConfig.read(rt).JWT_ISSUER,
      audience,
      typ,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["sub", "iat", "exp", "jti"],
    });
    return payload;
  } catch {
    return null;
  }
}

/** The claims of a valid access token, or null for anything else. */
export async function verifyAccessToken(rt: Vars, token: string): Promise<AccessClaims | null> {
  const payload = await verify(rt, token, ACCESS_TYP, identityConfig.read(rt).JWT_AUDIENCE);
  const parsed = payload ? accessClaims.safeParse(payload) : null;
  return parsed?.success ? parsed.data : null;
}

/** A short-lived ticket proving the first factor; with a valid second factor it becomes a session. */
export async function signMfaTicket(
  rt: Vars,
  input: { userId: string; method: "password" | "sso" },
): Promise<{ ticket: string; expiresIn: number }> {
  const ring = await requireKeyRing(rt);
  const ticket = await new SignJWT({ method: input.method })
    .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, typ: MFA_TICKET_TYP })
    .setSubject(input.userId)
    .setIssuer(identityConfig.read(rt).JWT_ISSUER)
    .setAudience(mfaAudience(rt))
    .setIssuedAt()
    .setExpirationTime(`${MFA_TICKET_TTL_SECONDS}s`)
    .setJti(newId("mft"))
    .sign(ring.signing.key);
  return { ticket, expiresIn: MFA_TICKET_TTL_SECONDS };
}

export async function verifyMfaTicket(rt: Vars, ticket: string): Promise<{ userId: string; method: "password" | "sso" } | null> {
  const payload = await verify(rt, ticket, MFA_TICKET_TYP, mfaAudience(rt));
  const parsed = payload ? ticketClaims.safeParse(payload) : null;
  return parsed?.success ? { userId: parsed.data.sub, method: parsed.data.method } : null;
}
