/**
 * Single sign-on: an ID token from a trusted OpenID Connect issuer
 * (SSO_ISSUERS: issuer, audience, JWKS URL) is verified against the
 * issuer's published keys (jose remote JWKS, cached per isolate and
 * refetched when an unknown key id appears), then linked to an account:
 * an existing link, else an account with the same verified email, else a
 * new account.
 */
import { and, eq, sql } from "drizzle-orm";
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { externalIdentities } from "../../db/schema/auth.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { ApiError } from "../platform/errors.ts";
import { CallTimedOut } from "../platform/resilience/attempts.ts";
import { BulkheadFull, callDependency } from "../platform/resilience/dependency-call.ts";
import { CircuitOpen } from "../platform/resilience/shared-circuit.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { Scope } from "../platform/scope.ts";
import { findActiveUser, findActiveUserByEmail, type UserRow } from "./accounts.ts";
import { identityConfig } from "./config.ts";
import { IdentityErrors } from "./errors.ts";
import { createAccount } from "./service.ts";
import { CLOCK_SKEW_SECONDS } from "./tokens.ts";

/** Asymmetric algorithms only: an HMAC "signed" with a published key proves nothing. */
const EXTERNAL_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

export interface ExternalIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

const JWKS_TIMEOUT_MS = 5_000;
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function jwksFor(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = remoteSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: JWKS_TIMEOUT_MS });
    remoteSets.set(url, set);
  }
  return set;
}

const invalidExternalToken = (detail: string) => new ApiError(IdentityErrors.INVALID_EXTERNAL_TOKEN, detail);

/**
 * Fetching the issuer's keys failed (network, timeout, a status other than
 * 200, not a key set): the issuer's fault, not the token's. jose throws its
 * generic error for a bad status, and the network's own for a failed fetch.
 */
const issuerFailed = (err: unknown) =>
  err instanceof errors.JWKSTimeout ||
  err instanceof errors.JWKSInvalid ||
  (err instanceof errors.JOSEError && err.code === "ERR_JOSE_GENERIC") ||
  !(err instanceof errors.JOSEError);

function ssoUnavailable(err: unknown): ApiError {
  const retryAfter = err instanceof CircuitOpen ? err.retryAfterSeconds : 5;
  return new ApiError(
    IdentityErrors.SSO_PROVIDER_UNAVAILABLE,
    "The identity provider cannot be reached; sign in with a password or retry later",
    {
      headers: { "retry-after": String(retryAfter) },
    },
  );
}

export async function verifyExternalIdToken(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  idToken: string,
): Promise<ExternalIdentity> {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(idToken).iss;
  } catch {
    throw invalidExternalToken("The ID token is not a JWT");
  }
  const trusted = identityConfig.read(rt).SSO_ISSUERS.find((i) => i.issuer === issuer);
  if (!trusted) throw invalidExternalToken("The ID token's issuer is not trusted");
  try {
    // A read (the issuer's key set): retried, behind the issuer's own circuit; an invalid token is no failure of the issuer.
    const { payload } = await callDependency(
      rt,
      {
        dependency: "oidc",
        instance: trusted.issuer,
        operation: "verify_id_token",
        timeoutMs: JWKS_TIMEOUT_MS + 1000,
        idempotent: true,
        isFailure: issuerFailed,
      },
      () =>
        jwtVerify(idToken, jwksFor(trusted.jwksUrl), {
          issuer: trusted.issuer,
          audience: trusted.audience,
          algorithms: EXTERNAL_ALGORITHMS,
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ["sub", "iat", "exp"],
        }),
    );
    const email = typeof payload.email === "string" ? payload.email.trim() : null;
    return {
      issuer: trusted.issuer,
      subject: payload.sub!,
      email: email && email.length <= 254 && email.includes("@") ? email : null,
      emailVerified: payload.email_verified === true,
      name: typeof payload.name === "string" && payload.name.trim() ? payload.name.trim().slice(0, 120) : null,
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof CircuitOpen || err instanceof BulkheadFull || err instanceof CallTimedOut || issuerFailed(err))
      throw ssoUnavailable(err);
    throw invalidExternalToken("The ID token could not be verified");
  }
}

/** The account for an external identity, linking or creating it. Serialised per identity by an advisory lock. */
export async function linkOrCreateAccount(scope: Scope, identity: ExternalIdentity): Promise<UserRow> {
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sso:${identity.issuer}|${identity.subject}`}))`);
      const key = and(eq(externalIdentities.issuer, identity.issuer), eq(externalIdentities.subject, identity.subject));
      const [link] = await tx.select().from(externalIdentities).where(key);
      if (link) {
        const user = await findActiveUser(tx, link.userId);
        if (user) {
          await tx.update(externalIdentities).set({ lastUsedAt: sql`now()` }).where(key);
          return user;
        }
        await tx.delete(externalIdentities).where(key);
      }
      if (!identity.email)
        throw new ApiError(IdentityErrors.SSO_EMAIL_REQUIRED, "The ID token carries no email address, which an account needs");
      let user = await findActiveUserByEmail(tx, identity.email);
      if (user && !identity.emailVerified) {
        // Linking on an address the issuer has not verified would hand the account to whoever typed it.
        throw new ApiError(
          IdentityErrors.SSO_ACCOUNT_EXISTS,
          "An account with this email exists; the identity provider has not verified the address, so it cannot be linked",
        );
      }
      if (!user) {
        const name = identity.name ?? identity.email.split("@")[0]!;
        user = await createAccount(tx, events, scope, {
          email: identity.email,
          name,
          passwordHash: null,
          emailVerified: identity.emailVerified,
          via: "sso",
        });
        if (!user)
          throw new ApiError(IdentityErrors.EMAIL_TAKEN, "An account with this email address was created at the same time; try again");
      }
      await tx.insert(externalIdentities).values({ issuer: identity.issuer, subject: identity.subject, userId: user.id });
      return user;
    },
    scope.afterCommit,
  );
}
