/**
 * The signed-in member of staff. The access token lives in this module's
 * memory only (never in storage); the refresh token is an HttpOnly cookie
 * that only /api/auth/refresh receives, so a reload or an expired access
 * token is answered by one refresh call that echoes the CSRF cookie.
 */

export type Role = "customer" | "support" | "analyst" | "admin";
export const STAFF_ROLES: readonly Role[] = ["admin", "support", "analyst"];

export interface Session {
  accessToken: string;
  sessionId: string;
  userId: string;
  roles: Role[];
  expiresAt: number;
}

type Listener = (s: Session | null) => void;
let current: Session | null = null;
const listeners = new Set<Listener>();

export function session(): Session | null {
  return current;
}

export function onSessionChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function set(next: Session | null): void {
  current = next;
  for (const fn of listeners) fn(next);
}

/** The claims of a JWT without verifying it (the server verifies every call; this only shapes the UI). */
export function claimsOf(jwt: string): { sub?: string; roles?: Role[]; sid?: string; exp?: number } {
  const part = jwt.split(".")[1] ?? "";
  try {
    const json = atob(
      part
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(part.length / 4) * 4, "="),
    );
    return JSON.parse(json) as ReturnType<typeof claimsOf>;
  } catch {
    return {};
  }
}

export function isStaff(s: Pick<Session, "roles"> | null): boolean {
  return !!s && s.roles.some((r) => STAFF_ROLES.includes(r));
}

export function hasRole(s: Session | null, ...roles: Role[]): boolean {
  return !!s && s.roles.some((r) => roles.includes(r));
}

interface TokenSet {
  accessToken: string;
  expiresIn: number;
  sessionId: string;
  userId: string;
}

function adopt(tokens: TokenSet): Session {
  const claims = claimsOf(tokens.accessToken);
  const s: Session = {
    accessToken: tokens.accessToken,
    sessionId: tokens.sessionId,
    userId: tokens.userId,
    roles: claims.roles ?? [],
    expiresAt: Date.now() + tokens.expiresIn * 1000,
  };
  set(s);
  return s;
}

function csrfCookie(): string | undefined {
  return document.cookie
    .split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith("ec_csrf="))
    ?.slice("ec_csrf=".length);
}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-refresh-cookie": "1" },
    body: JSON.stringify(body),
  });
}

export type SignInResult =
  | { kind: "signed-in"; session: Session }
  | { kind: "mfa"; ticket: string }
  | { kind: "failed"; response: Response };

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const res = await postJson("/api/auth/login", { email, password });
  if (!res.ok) return { kind: "failed", response: res };
  const body = (await res.json()) as ({ mfaRequired: false } & TokenSet) | { mfaRequired: true; mfaTicket: string };
  return body.mfaRequired ? { kind: "mfa", ticket: body.mfaTicket } : { kind: "signed-in", session: adopt(body) };
}

export async function signInSecondFactor(ticket: string, code: string): Promise<SignInResult> {
  const factor = /^\d{6}$/.test(code) ? { code } : { recoveryCode: code };
  const res = await postJson("/api/auth/login/mfa", { mfaTicket: ticket, ...factor });
  if (!res.ok) return { kind: "failed", response: res };
  return { kind: "signed-in", session: adopt((await res.json()) as TokenSet) };
}

let refreshing: Promise<Session | null> | null = null;

/** New tokens from the refresh cookie; one call at a time however many requests ask. Null when the session is over. */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const csrf = csrfCookie();
    if (!csrf) return null;
    const res = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrf } });
    if (!res.ok) return null;
    return adopt((await res.json()) as TokenSet);
  })()
    .catch(() => null)
    .then((s) => {
      if (!s) set(null);
      return s;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Ends this session (everywhere: every session of the account) and forgets the token. */
export async function signOut(everywhere = false): Promise<void> {
  const s = current;
  if (s) {
    const init = { method: everywhere ? "POST" : "DELETE", headers: { authorization: `Bearer ${s.accessToken}` } };
    await fetch(everywhere ? "/api/auth/logout-all" : `/api/auth/sessions/${s.sessionId}`, init).catch(() => undefined);
  }
  set(null);
}
