/**
 * Signed-in users for tests of any family: `registerAndLogin("admin")`
 * registers a fresh account over HTTP, gives it the role through the
 * operations token (the admin route), and signs it in.
 */
import { sql } from "drizzle-orm";
import type { Role } from "../../workers/platform/context.ts";
import { withTestDb } from "./db.ts";
import { api } from "./http.ts";

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/** A unique, valid address (the database is shared by every test file). */
export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 12)}@test.example`;
}

/** A password that passes the policy. */
export function strongPassword(): string {
  return `tangerine-${crypto.randomUUID().slice(0, 8)}-velvet-ladder`;
}

/** A random client address: sign-ins are throttled per address, and tests must not share one. */
export function clientIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

async function expectOk(res: Response, what: string): Promise<unknown> {
  const body = await res.json();
  if (!res.ok) throw new Error(`${what} failed with ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

export async function login(email: string, password: string, ip = clientIp()): Promise<Response> {
  return api("/api/auth/login", { method: "POST", token: null, json: { email, password }, headers: { "cf-connecting-ip": ip } });
}

export async function registerAndLogin(role: Role = "customer", options: { name?: string; email?: string } = {}): Promise<TestUser> {
  const email = options.email ?? uniqueEmail(role);
  const password = strongPassword();
  const user = (await expectOk(
    await api("/api/users/register", { method: "POST", token: null, json: { email, password, name: options.name ?? `Test ${role}` } }),
    "registration",
  )) as { id: string };
  if (role !== "customer") await expectOk(await api(`/api/users/${user.id}`, { method: "PUT", json: { role } }), "role change");
  const tokens = (await expectOk(await login(email, password), "login")) as {
    accessToken: string;
    refreshToken: string;
    sessionId: string;
  };
  return {
    userId: user.id,
    email,
    password,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    sessionId: tokens.sessionId,
  };
}

/** Events of one type about one subject, from the outbox, oldest first. */
export async function outboxEvents<P = Record<string, unknown>>(
  subjectId: string,
  type: string,
): Promise<{ id: string; payload: P; actor: { type: string; id: string } | null }[]> {
  return withTestDb(async (db) => {
    const rows = await db.execute<{ envelope: { id: string; payload: P; actor: { type: string; id: string } | null } }>(
      sql`select envelope from events.outbox where envelope->>'subjectId' = ${subjectId} and type = ${type} order by seq`,
    );
    return rows.rows.map((r) => r.envelope);
  });
}

/** The token of the latest verification, reset or email-change mail requested for a user (what the mail would carry). */
export async function mailedToken(
  userId: string,
  type: "EmailVerificationRequested" | "PasswordResetRequested" | "EmailChangeRequested" | "EmailChanged",
): Promise<string> {
  const events = await outboxEvents<{ token: string }>(userId, type);
  const last = events[events.length - 1];
  if (!last) throw new Error(`no ${type} event for ${userId}`);
  return last.payload.token;
}
