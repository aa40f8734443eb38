/**
 * The auth routes (/api/auth): sign-in (password, second factor, SSO), token
 * refresh with rotation, sign-out, sessions and the public keys. The
 * account recovery and MFA routes are mounted from their own files.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { SessionsRevoked } from "../../queues/contracts/events/auth.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { eventFrom } from "../platform/scope.ts";
import { accountRoutes } from "./account-routes.ts";
import { findActiveUser } from "./accounts.ts";
import {
  JwksSchema,
  LoginBody,
  MfaLoginBody,
  RefreshBody,
  SessionSchema,
  SignInResponse,
  SsoExchangeBody,
  TokenSetSchema,
} from "./auth-schemas.ts";
import { authenticateWithPassword } from "./credentials.ts";
import { emailChangeRoutes } from "./email-change-routes.ts";
import { IdentityErrors } from "./errors.ts";
import { authProblems, scopeFor, security } from "./http.ts";
import { requireKeyRing } from "./keys.ts";
import { acceptSecondFactor, invalidSecondFactor, isMfaEnabled } from "./mfa.ts";
import { mfaRoutes } from "./mfa-routes.ts";
import {
  CookieOptInHeaders,
  CsrfHeaders,
  clearRefreshCookie,
  keepRefreshInCookie,
  refreshTokenFromCookie,
  wantsRefreshCookie,
} from "./refresh-cookie.ts";
import { listActiveSessions, revokeSession, revokeUserSessions, sessionOfRefreshToken } from "./sessions.ts";
import { afterFirstFactor, recordLoginFailure, refresh, type SignInOutcome, startSignedInSession } from "./sign-in.ts";
import { linkOrCreateAccount, verifyExternalIdToken } from "./sso.ts";
import {
  ACCOUNT_FAILURES,
  ADDRESS_FAILURES,
  clearThrottle,
  clientAddress,
  holdAttempt,
  loginAccountKey,
  rateLimited,
  tryAttempt,
} from "./throttle.ts";
import { verifyMfaTicket } from "./tokens.ts";

const tags = ["Auth"];

/** A sign-in's tokens, with the refresh token moved to its cookie when the client asked for that. */
function inCookieIfAsked(c: AppContext, outcome: SignInOutcome): SignInOutcome {
  return !outcome.mfaRequired && wantsRefreshCookie(c) ? keepRefreshInCookie(c, outcome) : outcome;
}
const invalidCredentials = () => new ApiError(IdentityErrors.INVALID_CREDENTIALS, "The email or password is not correct");

export const loginRoute = createRoute({
  method: "post",
  path: "/login",
  tags,
  summary: "Sign in with email and password: tokens, or an MFA ticket when the account has a second factor",
  request: { headers: CookieOptInHeaders, body: { required: true, content: { "application/json": { schema: LoginBody } } } },
  responses: {
    200: jsonContent(SignInResponse, "Signed in, or a second factor is required"),
    ...pick(401, 422),
    429: authProblems[429],
    503: authProblems[503],
  },
});

const mfaLoginRoute = createRoute({
  method: "post",
  path: "/login/mfa",
  tags,
  summary: "Complete a sign-in with the MFA ticket and a TOTP code or a recovery code",
  request: { headers: CookieOptInHeaders, body: { required: true, content: { "application/json": { schema: MfaLoginBody } } } },
  responses: { 200: jsonContent(TokenSetSchema, "Signed in"), 400: authProblems[400], ...pick(401, 422), 429: authProblems[429] },
});

const refreshRoute = createRoute({
  method: "post",
  path: "/refresh",
  tags,
  summary: "Exchange a refresh token for new tokens; the old refresh token stops working, and using it again revokes the session",
  description:
    "The refresh token comes from the body or, for a browser session started with `X-Refresh-Cookie: 1`, from the HttpOnly `ec_refresh` cookie; then `X-CSRF-Token` must repeat the `ec_csrf` cookie (403 otherwise), the next token replaces the cookie, and a refused one clears it.",
  request: { headers: CsrfHeaders, body: { required: false, content: { "application/json": { schema: RefreshBody } } } },
  responses: { 200: jsonContent(TokenSetSchema, "New tokens"), ...pick(401, 403, 422) },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/logout",
  tags,
  summary: "End the session of a refresh token (idempotent)",
  request: { body: { required: true, content: { "application/json": { schema: RefreshBody } } } },
  responses: { 204: { description: "Signed out" }, ...pick(422) },
});

const logoutAllRoute = createRoute({
  method: "post",
  path: "/logout-all",
  tags,
  summary: "End every session of the signed-in user",
  security,
  middleware: [requireUser],
  responses: { 200: jsonContent(z.object({ revoked: z.number().int() }).openapi("SessionsRevoked"), "Sessions ended"), ...pick(401, 403) },
});

const sessionsRoute = createRoute({
  method: "get",
  path: "/sessions",
  tags,
  summary: "The signed-in user's active sessions",
  security,
  middleware: [requireUser],
  responses: { 200: jsonContent(listOf("SessionList", SessionSchema), "Sessions"), ...pick(401, 403) },
});

const endSessionRoute = createRoute({
  method: "delete",
  path: "/sessions/{sessionId}",
  tags,
  summary: "End one of the signed-in user's sessions",
  security,
  middleware: [requireUser],
  request: { params: z.object({ sessionId: z.string().regex(/^ses_[0-9A-Z]{26}$/) }) },
  responses: { 204: { description: "Ended" }, ...pick(401, 403, 404, 422) },
});

const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags,
  summary: "The public keys that verify access tokens (RFC 7517)",
  responses: { 200: { description: "JSON Web Key Set", content: { "application/json": { schema: JwksSchema } } }, 503: authProblems[503] },
});

const ssoRoute = createRoute({
  method: "post",
  path: "/sso/exchange",
  tags,
  summary: "Exchange an ID token of a trusted OpenID Connect issuer for this API's tokens, linking or creating the account",
  request: { body: { required: true, content: { "application/json": { schema: SsoExchangeBody } } } },
  responses: {
    200: jsonContent(SignInResponse, "Signed in, or a second factor is required"),
    ...pick(401, 409, 422),
    429: authProblems[429],
    503: {
      description:
        "SSO_PROVIDER_UNAVAILABLE: the issuer's keys could not be fetched, or its circuit is open (with Retry-After); password sign-in is unaffected",
      content: { "application/problem+json": { schema: pick(422)[422].content["application/problem+json"].schema } },
    },
  },
});

export const authRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
authRoutes
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    await requireKeyRing(c.env);
    const address = await holdAttempt(c.env, [{ key: `login:address:${clientAddress(c)}`, policy: ADDRESS_FAILURES }]);
    const accountKey = loginAccountKey(email);
    const account = await tryAttempt(c.env, [{ key: accountKey, policy: ACCOUNT_FAILURES }]);
    const check = await authenticateWithPassword(dbOf(c), c.env, email, password);
    if (!check.ok) {
      await recordLoginFailure(scopeFor(c, check.userId ?? undefined), check.userId, "password", "invalid_credentials");
      throw account.allowed ? invalidCredentials() : rateLimited(account.retryAfterMs);
    }
    // The right password is no failure, wherever it comes from.
    await address.succeeded();
    const scope = scopeFor(c, check.user.id);
    if (!account.allowed) {
      // The account backs off after wrong passwords; its owner gets past with the second factor, or a reset mail clears it.
      if (!(await isMfaEnabled(scope.db, check.user.id)))
        throw rateLimited(account.retryAfterMs, ", or reset the password by mail to sign in now");
      return c.json(inCookieIfAsked(c, await afterFirstFactor(scope, check.user, "password")), 200);
    }
    await account.succeeded([accountKey]);
    return c.json(inCookieIfAsked(c, await afterFirstFactor(scope, check.user, "password")), 200);
  })
  .openapi(mfaLoginRoute, async (c) => {
    const body = c.req.valid("json");
    const ticket = await verifyMfaTicket(c.env, body.mfaTicket);
    if (!ticket) throw new ApiError(IdentityErrors.INVALID_MFA_TICKET, "The MFA ticket is not valid or has expired; sign in again");
    const accountKey = `mfa:account:${ticket.userId}`;
    const hold = await holdAttempt(c.env, [accountKey, `mfa:address:${clientAddress(c)}`]);
    const scope = scopeFor(c, ticket.userId);
    const signedIn = await transactionWithEvents(
      scope.db,
      async (tx, events) => {
        const user = await findActiveUser(tx, ticket.userId);
        if (!user || !(await acceptSecondFactor(tx, c.env, user.id, body))) return null;
        return { email: user.email, tokens: await startSignedInSession(tx, events, scope, user, ticket.method, true) };
      },
      scope.afterCommit,
    );
    if (!signedIn) {
      await recordLoginFailure(scope, ticket.userId, "mfa", "invalid_second_factor");
      throw invalidSecondFactor();
    }
    await hold.succeeded([accountKey]);
    // Both factors proven: the account's password back-off is over too.
    if (signedIn.email) await clearThrottle(c.env, loginAccountKey(signedIn.email));
    const { tokens } = signedIn;
    return c.json({ mfaRequired: false as const, ...(wantsRefreshCookie(c) ? keepRefreshInCookie(c, tokens) : tokens) }, 200);
  })
  .openapi(refreshRoute, async (c) => {
    const fromBody = (c.req.valid("json") as { refreshToken?: string } | undefined)?.refreshToken;
    if (fromBody) return c.json({ mfaRequired: false as const, ...(await refresh(scopeFor(c), fromBody)) }, 200);
    const fromCookie = refreshTokenFromCookie(c);
    try {
      return c.json({ mfaRequired: false as const, ...keepRefreshInCookie(c, await refresh(scopeFor(c), fromCookie)) }, 200);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) clearRefreshCookie(c);
      throw err;
    }
  })
  .openapi(logoutRoute, async (c) => {
    const db = dbOf(c);
    const session = await sessionOfRefreshToken(db, c.req.valid("json").refreshToken);
    if (session) await revokeSession(db, session.sessionId, "logout");
    return c.body(null, 204);
  })
  .openapi(logoutAllRoute, async (c) => {
    const userId = c.get("principal")!.id;
    const scope = scopeFor(c);
    const revoked = await transactionWithEvents(
      scope.db,
      async (tx, events) => {
        const count = await revokeUserSessions(tx, userId, "logout_all");
        await events.emit(SessionsRevoked, eventFrom(scope, "auth", userId, { userId, reason: "logout_all", count }));
        return count;
      },
      scope.afterCommit,
    );
    return c.json({ revoked }, 200);
  })
  .openapi(sessionsRoute, async (c) => {
    const rows = await listActiveSessions(dbOf(c), c.get("principal")!.id);
    return c.json(
      {
        items: rows.map((s) => ({
          ...s,
          createdAt: s.createdAt.toISOString(),
          lastUsedAt: s.lastUsedAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
        })),
      },
      200,
    );
  })
  .openapi(endSessionRoute, async (c) => {
    const { sessionId } = c.req.valid("param");
    const db = dbOf(c);
    const mine = (await listActiveSessions(db, c.get("principal")!.id)).some((s) => s.id === sessionId);
    if (!mine || !(await revokeSession(db, sessionId, "logout"))) throw notFound("session");
    return c.body(null, 204);
  })
  .openapi(jwksRoute, async (c) => {
    const ring = await requireKeyRing(c.env);
    return c.json(ring.jwks as z.infer<typeof JwksSchema>, 200, { "cache-control": "public, max-age=300" });
  })
  .openapi(ssoRoute, async (c) => {
    await requireKeyRing(c.env);
    const addressKey = `sso:address:${clientAddress(c)}`;
    const hold = await holdAttempt(c.env, [addressKey]);
    let identity: Awaited<ReturnType<typeof verifyExternalIdToken>>;
    try {
      identity = await verifyExternalIdToken(c.env, c.req.valid("json").idToken);
    } catch (err) {
      // The issuer being unreachable is not the caller's failure.
      if (!(err instanceof ApiError && err.code === IdentityErrors.SSO_PROVIDER_UNAVAILABLE.code))
        await recordLoginFailure(scopeFor(c), null, "sso", "invalid_external_token");
      throw err;
    }
    await hold.succeeded();
    const user = await linkOrCreateAccount(scopeFor(c), identity);
    return c.json(await afterFirstFactor(scopeFor(c, user.id), user, "sso"), 200);
  });
authRoutes.route("/", accountRoutes);
authRoutes.route("/", emailChangeRoutes);
authRoutes.route("/", mfaRoutes);
