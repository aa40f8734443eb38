/** Error codes of the identity family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const IdentityErrors = defineErrors({
  INVALID_TOKEN: { status: 400, title: "Invalid token" },
  INVALID_PASSWORD: { status: 400, title: "Invalid password" },
  EMAIL_ALREADY_VERIFIED: { status: 409, title: "Email already verified" },
  ADDRESS_LIMIT: { status: 409, title: "Address limit" },
  INVALID_CREDENTIALS: { status: 401, title: "Invalid credentials" },
  INVALID_MFA_TICKET: { status: 401, title: "Invalid MFA ticket" },
  WEAK_PASSWORD: { status: 422, title: "Weak password" },
  SIGNING_KEYS_MISSING: { status: 503, title: "Signing keys missing" },
  INVALID_MFA_CODE: { status: 400, title: "Invalid MFA code" },
  MFA_ALREADY_ENABLED: { status: 409, title: "MFA already enabled" },
  MFA_NOT_ENROLLING: { status: 409, title: "MFA not enrolling" },
  MFA_NOT_ENABLED: { status: 409, title: "MFA not enabled" },
  MFA_UNAVAILABLE: { status: 503, title: "MFA unavailable" },
  ROLE_CHANGE_FORBIDDEN: { status: 403, title: "Role change forbidden" },
  REAUTHENTICATION_REQUIRED: { status: 403, title: "Re-authentication required" },
  EMAIL_TAKEN: { status: 409, title: "Email taken" },
  INVALID_REFRESH_TOKEN: { status: 401, title: "Invalid refresh token" },
  REFRESH_TOKEN_REUSED: { status: 401, title: "Refresh token reused" },
  INVALID_EXTERNAL_TOKEN: { status: 401, title: "Invalid external token" },
  SSO_EMAIL_REQUIRED: { status: 422, title: "SSO email required" },
  SSO_ACCOUNT_EXISTS: { status: 409, title: "SSO account exists" },
  /** The issuer's keys could not be fetched, or its circuit is open: sign in with a password, or retry after Retry-After. */
  SSO_PROVIDER_UNAVAILABLE: { status: 503, title: "SSO provider unavailable" },
});
