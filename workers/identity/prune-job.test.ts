import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";

describe("auth-prune job", () => {
  it("deletes long-ended sessions and old one-time tokens, and keeps live ones", async () => {
    const [old, live] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    await withTestDb(async (db) => {
      await db.execute(sql`update auth.sessions set revoked_at = now() - interval '31 days' where id = ${old.sessionId}`);
      await db.execute(sql`update auth.one_time_tokens set used_at = now() - interval '8 days' where user_id = ${old.userId}`);
    });
    const run = (await (await api("/api/scheduler/jobs/auth-prune/run", { method: "POST" })).json()) as {
      outcome: string;
      result: Record<string, number>;
    };
    expect(run.outcome).toBe("succeeded");
    expect(run.result.sessions).toBeGreaterThanOrEqual(1);
    const left = await withTestDb(async (db) =>
      (await db.execute<{ id: string }>(sql`select id from auth.sessions where id in (${old.sessionId}, ${live.sessionId})`)).rows.map(
        (r) => r.id,
      ),
    );
    expect(left).toEqual([live.sessionId]);
    const tokens = await withTestDb(
      async (db) =>
        (await db.execute(sql`select 1 from auth.one_time_tokens where user_id in (${old.userId}, ${live.userId})`)).rows.length,
    );
    expect(tokens).toBe(1);
  });
});
