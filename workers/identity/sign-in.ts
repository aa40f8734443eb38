/**
 * Turning a proven identity into tokens: a session (refresh-token family)
 * and an access token, with UserAuthenticated in the same transaction; or,
 * when the account has a second factor, a short-lived MFA ticket instead.
 * Also refresh (rotation with reuse detection) and failed-attempt events.
 */
import { LoginFailed, RefreshTokenReused, TokenRefreshed, UserAuthenticated } from "../../queues/contracts/events/auth.ts";
import { type EventSink, transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Tx } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { findActiveUser, type UserRow } from "./accounts.ts";
import { IdentityErrors } from "./errors.ts";
import { isMfaEnabled } from "./mfa.ts";
import { revokeSession, rotateRefreshToken, startSession } from "./sessions.ts";
import { signAccessToken, signMfaTicket } from "./tokens.ts";

export interface TokenSet {
  tokenType: "Bearer";
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  sessionId: string;
  userId: string;
}

export type SignInOutcome = ({ mfaRequired: false } & TokenSet) | { mfaRequired: true; mfaTicket: string; expiresIn: number };

type Method = "password" | "sso";

/** Starts a session in the caller's transaction and signs its first access token. */
export async function startSignedInSession(
  tx: Tx,
  events: EventSink,
  scope: Scope,
  user: Pick<UserRow, "id" | "role">,
  method: Method,
  mfa: boolean,
): Promise<TokenSet> {
  const session = await startSession(tx, { userId: user.id, method, mfa });
  await events.emit(UserAuthenticated, eventFrom(scope, "auth", user.id, { userId: user.id, sessionId: session.sessionId, method, mfa }));
  const access = await signAccessToken(scope.rt, { userId: user.id, roles: [user.role], sessionId: session.sessionId });
  return {
    tokenType: "Bearer",
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.refreshExpiresAt.toISOString(),
    sessionId: session.sessionId,
    userId: user.id,
  };
}

/** The first factor is proven: tokens, or an MFA ticket if the account has a second factor. */
export async function afterFirstFactor(scope: Scope, user: Pick<UserRow, "id" | "role">, method: Method): Promise<SignInOutcome> {
  if (await isMfaEnabled(scope.db, user.id)) {
    const { ticket, expiresIn } = await signMfaTicket(scope.rt, { userId: user.id, method });
    return { mfaRequired: true, mfaTicket: ticket, expiresIn };
  }
  const tokens = await transactionWithEvents(
    scope.db,
    (tx, events) => startSignedInSession(tx, events, scope, user, method, false),
    scope.afterCommit,
  );
  return { mfaRequired: false, ...tokens };
}

export async function recordLoginFailure(
  scope: Scope,
  userId: string | null,
  method: "password" | "mfa" | "sso",
  reason: "invalid_credentials" | "invalid_second_factor" | "invalid_external_token",
): Promise<void> {
  await transactionWithEvents(
    scope.db,
    async (_tx, events) => {
      await events.emit(LoginFailed, eventFrom(scope, "auth", userId ?? "anonymous", { userId, method, reason }));
    },
    scope.afterCommit,
  );
}

export const invalidRefreshToken = () =>
  new ApiError(IdentityErrors.INVALID_REFRESH_TOKEN, "The refresh token is not valid, expired or revoked");

/**
 * Exchanges a refresh token for a new pair. A token used a second time
 * revokes its session; the revocation commits before the 401 goes out.
 */
export async function refresh(scope: Scope, refreshToken: string): Promise<TokenSet> {
  const result = await transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const rotation = await rotateRefreshToken(tx, refreshToken);
      if (rotation.outcome === "reused") {
        await events.emit(
          RefreshTokenReused,
          eventFrom(scope, "auth", rotation.userId, { userId: rotation.userId, sessionId: rotation.sessionId }),
        );
        return { rotation, user: undefined };
      }
      if (rotation.outcome === "invalid") return { rotation, user: undefined };
      // Roles are read again at every refresh, so a role change reaches the next access token.
      const user = await findActiveUser(tx, rotation.userId);
      if (!user) {
        await revokeSession(tx, rotation.sessionId, "account_deleted");
        return { rotation: { outcome: "invalid" as const }, user: undefined };
      }
      await events.emit(
        TokenRefreshed,
        eventFrom(scope, "auth", user.id, { userId: user.id, sessionId: rotation.sessionId, generation: rotation.generation }),
      );
      return { rotation, user };
    },
    scope.afterCommit,
  );
  const { rotation, user } = result;
  if (rotation.outcome === "reused")
    throw new ApiError(
      IdentityErrors.REFRESH_TOKEN_REUSED,
      "This refresh token was already used; the session has been revoked, sign in again",
    );
  if (rotation.outcome !== "rotated" || !user) throw invalidRefreshToken();
  const access = await signAccessToken(scope.rt, { userId: user.id, roles: [user.role], sessionId: rotation.sessionId });
  return {
    tokenType: "Bearer",
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: rotation.refreshToken,
    refreshExpiresAt: rotation.refreshExpiresAt.toISOString(),
    sessionId: rotation.sessionId,
    userId: user.id,
  };
}
