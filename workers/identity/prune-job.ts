/**
 * Daily clean-up of the auth data: sessions ended or expired more than
 * 30 days ago (their refresh tokens go with them, so reuse of a recently
 * revoked token is still recognised), and one-time tokens used or expired
 * more than 7 days ago.
 */
import { sql } from "drizzle-orm";
import type { Job } from "../platform/job.ts";

export const authPrune: Job = {
  name: "auth-prune",
  description: "Delete sessions ended over 30 days ago and one-time tokens used or expired over 7 days ago",
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ db }) {
    const sessions = await db.execute(sql`
      delete from auth.sessions
      where coalesce(revoked_at, expires_at) < now() - interval '30 days'`);
    const rotated = await db.execute(sql`
      delete from auth.refresh_tokens t using auth.sessions s
      where t.session_id = s.id and s.revoked_at is null and t.expires_at < now() - interval '30 days'`);
    const tokens = await db.execute(sql`
      delete from auth.one_time_tokens
      where coalesce(used_at, expires_at) < now() - interval '7 days'`);
    return { sessions: sessions.rowCount ?? 0, refreshTokens: rotated.rowCount ?? 0, oneTimeTokens: tokens.rowCount ?? 0 };
  },
};
