/**
 * Account recovery and password routes: email verification, forgotten and
 * reset passwords, and password change. Tokens are single use and expire;
 * a reset or a change ends every session.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { PasswordChanged, SessionsRevoked } from "../../queues/contracts/events/auth.ts";
import { UserEmailVerified } from "../../queues/contracts/events/user.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { type AppEnv, waitUntilOf } from "../platform/context.ts";
import { withDb } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { errorFields, log } from "../platform/log.ts";
import { validationHook } from "../platform/problem-response.ts";
import { eventFrom } from "../platform/scope.ts";
import { findActiveUser, findActiveUserByEmail } from "./accounts.ts";
import {
  AcceptedSchema,
  ChangePasswordBody,
  ForgotPasswordBody,
  ResetPasswordBody,
  TokenSetSchema,
  VerifyEmailBody,
} from "./auth-schemas.ts";
import { hashNewPassword, setPasswordHash, verifyUserPassword } from "./credentials.ts";
import { IdentityErrors } from "./errors.ts";
import { authProblems, scopeFor, security } from "./http.ts";
import { consumeToken, peekToken, requestEmailVerification, requestPasswordReset, voidTokens } from "./one-time-tokens.ts";
import { markEmailVerified } from "./service.ts";
import { revokeUserSessions } from "./sessions.ts";
import { startSignedInSession } from "./sign-in.ts";
import { clearThrottle, clientAddress, holdAttempt, loginAccountKey, MAILS_PER_TARGET, requestsPerAddress } from "./throttle.ts";

const tags = ["Auth"];
const invalidToken = () => new ApiError(IdentityErrors.INVALID_TOKEN, "The token is not valid, has expired or was already used");
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

const verifyRoute = createRoute({
  method: "post",
  path: "/verify-email",
  tags,
  summary: "Confirm an email address with the token from the verification mail",
  request: json(VerifyEmailBody),
  responses: {
    200: jsonContent(z.object({ userId: z.string(), emailVerified: z.literal(true) }).openapi("EmailVerified"), "Verified"),
    400: authProblems[400],
    ...pick(422),
  },
});

const resendRoute = createRoute({
  method: "post",
  path: "/verify-email/resend",
  tags,
  summary: "Request another verification mail for the signed-in user",
  security,
  middleware: [requireUser],
  responses: { 202: jsonContent(AcceptedSchema, "A mail is requested"), ...pick(401, 403, 404, 409), 429: authProblems[429] },
});

const forgotRoute = createRoute({
  method: "post",
  path: "/forgot-password",
  tags,
  summary: "Request a password reset mail; the answer is the same whether or not the address has an account",
  request: json(ForgotPasswordBody),
  responses: { 202: jsonContent(AcceptedSchema, "Accepted"), ...pick(422), 429: authProblems[429] },
});

const resetRoute = createRoute({
  method: "post",
  path: "/reset-password",
  tags,
  summary: "Set a new password with the token from the reset mail; every session ends",
  request: json(ResetPasswordBody),
  responses: { 204: { description: "Password changed" }, 400: authProblems[400], ...pick(422), 429: authProblems[429] },
});

const changeRoute = createRoute({
  method: "post",
  path: "/change-password",
  tags,
  summary: "Change the signed-in user's password; every other session ends and a new one begins",
  security,
  middleware: [requireUser],
  request: json(ChangePasswordBody),
  responses: {
    200: jsonContent(TokenSetSchema, "The new session"),
    400: authProblems[400],
    ...pick(401, 403, 422),
    429: authProblems[429],
  },
});

export const accountRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
accountRoutes
  .openapi(verifyRoute, async (c) => {
    const scope = scopeFor(c);
    const userId = await transactionWithEvents(
      scope.db,
      async (tx, events) => {
        const row = await consumeToken(tx, "verify_email", c.req.valid("json").token);
        // A token for an address the account no longer has is used up and does nothing.
        if (!row || !(await markEmailVerified(tx, row.userId, row.email))) return null;
        await events.emit(UserEmailVerified, eventFrom(scope, "users", row.userId, { userId: row.userId }));
        return row.userId;
      },
      scope.afterCommit,
    );
    if (!userId) throw invalidToken();
    return c.json({ userId, emailVerified: true as const }, 200);
  })
  .openapi(resendRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const scope = scopeFor(c);
    const user = await findActiveUser(scope.db, userId);
    if (!user?.email) throw new ApiError(ErrorCode.NOT_FOUND, "No such user");
    if (user.emailVerifiedAt) throw new ApiError(IdentityErrors.EMAIL_ALREADY_VERIFIED, "The address is already verified");
    // Every request sends a mail, so every request counts.
    await holdAttempt(c.env, [`verify:account:${userId}`]);
    await transactionWithEvents(
      scope.db,
      (tx, events) => requestEmailVerification(tx, events, scope, { id: user.id, email: user.email!, locale: user.locale }),
      scope.afterCommit,
    );
    return c.json({ accepted: true as const }, 202);
  })
  .openapi(forgotRoute, async (c) => {
    const email = c.req.valid("json").email.trim();
    await holdAttempt(c.env, [
      { key: `mail:target:${email.toLowerCase()}`, policy: MAILS_PER_TARGET },
      { key: `reset:address:${clientAddress(c)}`, policy: requestsPerAddress(c.env) },
    ]);
    // The lookup and the mail request happen after the answer, so its timing says nothing about the address.
    const scope = scopeFor(c);
    waitUntilOf(c)(
      withDb(c.env, async (db) => {
        const user = await findActiveUserByEmail(db, email);
        if (!user?.email) return;
        await transactionWithEvents(
          db,
          (tx, events) =>
            requestPasswordReset(tx, events, { ...scope, db, actor: null }, { id: user.id, email: user.email!, locale: user.locale }),
          scope.afterCommit,
        );
      }).catch((err) => log.error("auth.reset_request_failed", { requestId: scope.correlationId, ...errorFields(err) })),
    );
    return c.json({ accepted: true as const }, 202);
  })
  .openapi(resetRoute, async (c) => {
    const { token, newPassword } = c.req.valid("json");
    const hold = await holdAttempt(c.env, [`reset:address:${clientAddress(c)}`]);
    const scope = scopeFor(c);
    const pending = await peekToken(scope.db, "reset_password", token);
    const user = pending ? await findActiveUser(scope.db, pending.userId) : undefined;
    if (!pending || !user) throw invalidToken();
    await hold.succeeded();
    const passwordHash = await hashNewPassword(c.env, newPassword, { email: user.email, name: user.name }, "newPassword");
    const done = await transactionWithEvents(
      scope.db,
      async (tx, events) => {
        const used = await consumeToken(tx, "reset_password", token);
        if (!used || !(await setPasswordHash(tx, used.userId, passwordHash))) return false;
        await voidTokens(tx, used.userId, "reset_password");
        // The mail reached its owner: that proves the address too.
        await markEmailVerified(tx, used.userId, used.email);
        const count = await revokeUserSessions(tx, used.userId, "password_reset");
        const s = { ...scope, actor: { type: "user" as const, id: used.userId } };
        await events.emit(PasswordChanged, eventFrom(s, "auth", used.userId, { userId: used.userId, via: "reset" }));
        await events.emit(SessionsRevoked, eventFrom(s, "auth", used.userId, { userId: used.userId, reason: "password_reset", count }));
        return true;
      },
      scope.afterCommit,
    );
    if (!done) throw invalidToken();
    // The reset mail reached the account's owner: the sign-in back-off others may have caused is over.
    if (user.email) await clearThrottle(c.env, loginAccountKey(user.email));
    return c.body(null, 204);
  })
  .openapi(changeRoute, async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const userId = c.get("principal")!.id;
    const scope = scopeFor(c);
    const key = `password:account:${userId}`;
    const hold = await holdAttempt(c.env, [key]);
    const user = await findActiveUser(scope.db, userId);
    if (!user || !(await verifyUserPassword(scope.db, userId, currentPassword)))
      throw new ApiError(IdentityErrors.INVALID_PASSWORD, "The current password is not correct");
    await hold.succeeded([key]);
    const passwordHash = await hashNewPassword(c.env, newPassword, { email: user.email, name: user.name }, "newPassword");
    const tokens = await transactionWithEvents(
      scope.db,
      async (tx, events) => {
        await setPasswordHash(tx, userId, passwordHash);
        const count = await revokeUserSessions(tx, userId, "password_changed");
        await events.emit(PasswordChanged, eventFrom(scope, "auth", userId, { userId, via: "change" }));
        await events.emit(SessionsRevoked, eventFrom(scope, "auth", userId, { userId, reason: "password_changed", count }));
        return startSignedInSession(tx, events, scope, user, "password", false);
      },
      scope.afterCommit,
    );
    return c.json({ mfaRequired: false as const, ...tokens }, 200);
  });
