/** The settings the identity family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { defineConfig, jsonVar } from "../platform/config.ts";

/** A private signing key: Ed25519 (EdDSA) or P-256 (ES256), with its key id. */
const signingJwk = z.looseObject({
  kid: z.string().min(1),
  alg: z.enum(["EdDSA", "ES256"]),
  kty: z.enum(["OKP", "EC"]),
  crv: z.enum(["Ed25519", "P-256"]),
  d: z.string().min(1),
});
export type SigningJwk = z.infer<typeof signingJwk>;

export const identityConfig = defineConfig(
  "identity",
  z.object({
    /** Identity: private JWKs (JSON array, newest first) that sign access tokens; the others still verify (secret). */
    JWT_SIGNING_KEYS: jsonVar(
      z
        .array(signingJwk)
        .min(1)
        .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "kids must be unique"),
      "a JSON array of private JWKs",
    ).optional(),
    JWT_ISSUER: z.string().min(1).default("edge-commerce"),
    JWT_AUDIENCE: z.string().min(1).default("edge-commerce-api"),
    /** Trusted OpenID Connect issuers for SSO: JSON array of { issuer, audience, jwksUrl }. */
    SSO_ISSUERS: jsonVar(
      z.array(z.object({ issuer: z.string().min(1), audience: z.string().min(1), jwksUrl: z.url() })),
      "a JSON array of { issuer, audience, jwksUrl }",
    ).default([]),
    /** 32 random bytes, base64: encrypts TOTP secrets at rest (secret). */
    MFA_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/_-]{43}=?$/, "must be 32 bytes in base64")
      .optional(),
    /** PBKDF2-SHA256 work factor of new password hashes (OWASP: 600,000); lower only for tests. */
    PASSWORD_ITERATIONS: z.coerce.number().int().min(1_000).default(600_000),
    /** Sign-ups, and password-reset requests, one client address may make per hour (each costs a hash or a mail). */
    SIGNUPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(20),
    /** How long an isolate trusts its last answer of the revocation check (token-status.ts); 0 asks on every request. */
    REVOCATION_CHECK_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  }),
);
