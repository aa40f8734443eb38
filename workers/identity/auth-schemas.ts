/** Request and response schemas of the auth routes; they also make the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { Email, Password } from "./user-schemas.ts";

const Secret = (description: string) => z.string().min(1).max(4096).openapi({ description });
const TotpCode = z.string().regex(/^\d{6}$/, "must be the 6-digit code of the authenticator app");
const RecoveryCode = z.string().min(16).max(32).openapi({ example: "abcd-efgh-ijkl-mnop" });

export const LoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(1024) })
  .openapi("LoginRequest", { example: { email: "ana@example.com", password: "tangerine-oxygen-velvet" } });

export const TokenSetSchema = z
  .object({
    mfaRequired: z.literal(false),
    tokenType: z.literal("Bearer"),
    accessToken: z.string().openapi({ description: "JWT (typ at+jwt), about 15 minutes" }),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refreshToken: z.string().openapi({ description: "Opaque; single use: every refresh returns the next one" }),
    refreshExpiresAt: z.string(),
    sessionId: z.string(),
    userId: z.string(),
  })
  .openapi("TokenSet", {
    example: {
      mfaRequired: false,
      tokenType: "Bearer",
      accessToken:
        "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c3JfMDFKQjhaSzNNNE41UDZRN1I4UzlUMFYxVzIifQ.c2lnbmF0dXJl",
      expiresIn: 900,
      refreshToken: "rt_q3J9xVb2Lw8sN4kP0eYc7HzT1mRdFa6G",
      refreshExpiresAt: "2027-01-03T09:30:00.000Z",
      sessionId: "ses_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
      userId: "usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
    },
  });

export const MfaRequiredSchema = z
  .object({
    mfaRequired: z.literal(true),
    mfaTicket: z.string().openapi({ description: "Send it with a TOTP or recovery code to /api/auth/login/mfa within 5 minutes" }),
    expiresIn: z.number().int(),
  })
  .openapi("MfaRequired");

export const SignInResponse = z.union([TokenSetSchema, MfaRequiredSchema]).openapi("SignInResponse");

const oneFactor = <T extends z.ZodObject>(schema: T) =>
  schema.refine((b: { code?: string; recoveryCode?: string }) => (b.code === undefined) !== (b.recoveryCode === undefined), {
    message: "Send either code or recoveryCode",
    path: ["code"],
  });

export const MfaLoginBody = oneFactor(
  z.strictObject({ mfaTicket: Secret("From the login response"), code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() }),
).openapi("MfaLoginRequest");
export const SecondFactorBody = oneFactor(z.strictObject({ code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() })).openapi(
  "SecondFactorRequest",
);
export const TotpCodeBody = z.strictObject({ code: TotpCode }).openapi("TotpCodeRequest");
export const EnrolBody = z
  .strictObject({
    password: z.string().max(1024).optional().openapi({ description: "The current password; required when the account has one" }),
  })
  .openapi("MfaEnrolRequest");

export const RefreshBody = z.strictObject({ refreshToken: Secret("The latest refresh token") }).openapi("RefreshRequest");
export const VerifyEmailBody = z.strictObject({ token: Secret("From the verification mail") }).openapi("VerifyEmailRequest");
export const EmailChangeTokenBody = z
  .strictObject({
    token: Secret("From the email change mail: the confirmation sent to the new address, or the notice sent to the old one"),
  })
  .openapi("EmailChangeTokenRequest");
export const EmailChangeResultSchema = z
  .object({
    userId: z.string(),
    email: z.string().openapi({ description: "The account's address now" }),
    sessionsEnded: z.number().int().openapi({ description: "Sessions signed out (a revert ends every one)" }),
  })
  .openapi("EmailChangeResult");
export const ForgotPasswordBody = z.strictObject({ email: Email }).openapi("ForgotPasswordRequest");
export const ResetPasswordBody = z
  .strictObject({ token: Secret("From the reset mail"), newPassword: Password })
  .openapi("ResetPasswordRequest");
export const ChangePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: Password })
  .openapi("ChangePasswordRequest");
export const SsoExchangeBody = z
  .strictObject({ idToken: Secret("An OpenID Connect ID token from a trusted issuer") })
  .openapi("SsoExchangeRequest");

export const JwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.string(),
        crv: z.string(),
        x: z.string(),
        y: z.string().optional(),
      }),
    ),
  })
  .openapi("JsonWebKeySet");

export const SessionSchema = z
  .object({
    id: z.string(),
    method: z.enum(["password", "sso"]),
    mfa: z.boolean(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Session");

export const MfaStatusSchema = z
  .object({ enabled: z.boolean(), pending: z.boolean(), enabledAt: z.string().nullable(), recoveryCodesRemaining: z.number().int() })
  .openapi("MfaStatus");
export const EnrolmentSchema = z
  .object({
    secret: z.string().openapi({ description: "Base32, for typing into an authenticator app" }),
    otpauthUri: z.string().openapi({ description: "For a QR code" }),
  })
  .openapi("MfaEnrolment");
export const RecoveryCodesSchema = z
  .object({ recoveryCodes: z.array(z.string()).openapi({ description: "Shown once; each works once" }) })
  .openapi("RecoveryCodes");
export const AcceptedSchema = z.object({ accepted: z.literal(true) }).openapi("Accepted");
