/**
 * Second-factor routes for the signed-in user: status, TOTP enrolment and
 * confirmation, new recovery codes, and removal. Code checks are throttled
 * per account like sign-ins.
 */
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { findActiveUser } from "./accounts.ts";
import { EnrolBody, EnrolmentSchema, MfaStatusSchema, RecoveryCodesSchema, SecondFactorBody, TotpCodeBody } from "./auth-schemas.ts";
import { verifyUserPassword } from "./credentials.ts";
import { IdentityErrors } from "./errors.ts";
import { authProblems, scopeFor, security } from "./http.ts";
import { beginEnrolment, confirmEnrolment, disableMfa, invalidSecondFactor, mfaStatus, regenerateRecoveryCodes } from "./mfa.ts";
import { holdAttempt } from "./throttle.ts";

const tags = ["Auth: two-factor"];
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const mfaKey = (userId: string) => `mfa:account:${userId}`;

const statusRoute = createRoute({
  method: "get",
  path: "/mfa",
  tags,
  summary: "Whether a second factor is on",
  security,
  middleware: [requireUser],
  responses: { 200: jsonContent(MfaStatusSchema, "Status"), ...pick(401, 403) },
});

const enrolRoute = createRoute({
  method: "post",
  path: "/mfa/totp/enroll",
  tags,
  summary: "Start TOTP enrolment: a secret and an otpauth URI for the authenticator app (confirm with a code)",
  security,
  middleware: [requireUser],
  request: json(EnrolBody),
  responses: {
    200: jsonContent(EnrolmentSchema, "Pending enrolment"),
    400: authProblems[400],
    ...pick(401, 403, 409, 422),
    429: authProblems[429],
    503: authProblems[503],
  },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/mfa/totp/confirm",
  tags,
  summary: "Turn TOTP on with a first code; answers the recovery codes, shown once",
  security,
  middleware: [requireUser],
  request: json(TotpCodeBody),
  responses: {
    200: jsonContent(RecoveryCodesSchema, "Enabled"),
    400: authProblems[400],
    ...pick(401, 403, 409, 422),
    429: authProblems[429],
  },
});

const recoveryRoute = createRoute({
  method: "post",
  path: "/mfa/recovery-codes",
  tags,
  summary: "Replace the recovery codes, given a fresh code",
  security,
  middleware: [requireUser],
  request: json(SecondFactorBody),
  responses: {
    200: jsonContent(RecoveryCodesSchema, "New codes"),
    400: authProblems[400],
    ...pick(401, 403, 409, 422),
    429: authProblems[429],
  },
});

const disableRoute = createRoute({
  method: "post",
  path: "/mfa/disable",
  tags,
  summary: "Turn the second factor off, given a fresh TOTP code or a recovery code",
  security,
  middleware: [requireUser],
  request: json(SecondFactorBody),
  responses: { 204: { description: "Disabled" }, 400: authProblems[400], ...pick(401, 403, 409, 422), 429: authProblems[429] },
});

export const mfaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
mfaRoutes
  .openapi(statusRoute, async (c) => c.json(await mfaStatus(dbOf(c), c.get("principal")!.id), 200))
  .openapi(enrolRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const scope = scopeFor(c);
    const user = await findActiveUser(scope.db, userId);
    if (!user?.email) throw notFound("user");
    // A stolen access token alone must not be enough to put a second factor between the owner and their account.
    if (user.passwordHash) {
      const hold = await holdAttempt(c.env, [`password:account:${userId}`]);
      if (!(await verifyUserPassword(scope.db, userId, c.req.valid("json").password ?? "")))
        throw new ApiError(IdentityErrors.INVALID_PASSWORD, "The current password is not correct");
      await hold.succeeded([`password:account:${userId}`]);
    }
    return c.json(await beginEnrolment(scope, userId, user.email), 200);
  })
  .openapi(confirmRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const hold = await holdAttempt(c.env, [mfaKey(userId)]);
    const codes = await confirmEnrolment(scopeFor(c), userId, c.req.valid("json").code);
    if (!codes) throw invalidSecondFactor();
    await hold.succeeded([mfaKey(userId)]);
    return c.json({ recoveryCodes: codes }, 200);
  })
  .openapi(recoveryRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const hold = await holdAttempt(c.env, [mfaKey(userId)]);
    const codes = await regenerateRecoveryCodes(scopeFor(c), userId, c.req.valid("json"));
    if (!codes) throw invalidSecondFactor();
    await hold.succeeded([mfaKey(userId)]);
    return c.json({ recoveryCodes: codes }, 200);
  })
  .openapi(disableRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const hold = await holdAttempt(c.env, [mfaKey(userId)]);
    if (!(await disableMfa(scopeFor(c), userId, c.req.valid("json")))) throw invalidSecondFactor();
    await hold.succeeded([mfaKey(userId)]);
    return c.body(null, 204);
  });
