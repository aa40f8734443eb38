import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { openDb } from "./db.ts";
import type { Runtime } from "./runtime.ts";

/** The backend process that answered a statement sent outside any transaction. */
async function backendOf(rt: Runtime): Promise<number> {
  const handle = openDb(rt);
  try {
    const { rows } = await handle.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return Number(rows[0]!.pid);
  } finally {
    await handle.close();
  }
}

/** The same runtime with one setting changed. */
const withVar = (name: string, value: string): Runtime => ({ ...testEnv, vars: { ...testEnv.vars, [name]: value } });

describe("the database port", () => {
  beforeAll(async () => {
    const handle = openDb(testEnv);
    await handle.db.execute(sql`create table if not exists public.db_port_probe (id text primary key, note text not null)`);
    await handle.db.execute(sql`truncate public.db_port_probe`);
    await handle.close();
  });
  afterAll(async () => {
    const handle = openDb(testEnv);
    await handle.db.execute(sql`drop table if exists public.db_port_probe`);
    await handle.close();
  });

  it("answers statements of many requests from sessions that stay open (no session per request)", async () => {
    const first = new Set<number>();
    for (let i = 0; i < 12; i++) first.add(await backendOf(testEnv));
    const again = new Set<number>();
    for (let i = 0; i < 12; i++) again.add(await backendOf(testEnv));
    // One statement at a time reuses the endpoint's idle sessions: the second round opens none.
    expect(first.size).toBeLessThanOrEqual(2);
    expect([...again].every((pid) => first.has(pid))).toBe(true);
  });

  it("opens no session of its own for statements, one when told to use sessions (the path it replaced)", async () => {
    const sessionsFor = async (rt: Runtime) => {
      const handle = openDb(rt);
      try {
        await handle.db.execute(sql`select 1`);
        await handle.db.execute(sql`select 2`);
        return handle.sessions();
      } finally {
        await handle.close();
      }
    };
    expect(await sessionsFor(testEnv)).toBe(0);
    expect(await sessionsFor(withVar("DATABASE_QUERY_PATH", "session"))).toBe(1);
    // The setting is process-wide in the driver: put the default back for the rest of the file.
    expect(await sessionsFor(testEnv)).toBe(0);
  });

  it("opens a session for a transaction only", async () => {
    const handle = openDb(testEnv);
    try {
      await handle.db.execute(sql`select 1`);
      expect(handle.sessions()).toBe(0);
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
      });
      expect(handle.sessions()).toBe(1);
    } finally {
      await handle.close();
    }
  });

  it("runs a transaction on one session and rolls it back as a whole", async () => {
    const handle = openDb(testEnv);
    try {
      const failure = handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into public.db_port_probe (id, note) values ('a', 'first')`);
        await tx.execute(sql`insert into public.db_port_probe (id, note) values ('b', 'second')`);
        const inside = await tx.execute<{ n: number }>(sql`select count(*)::int as n from public.db_port_probe`);
        expect(inside.rows[0]!.n).toBe(2);
        // A statement outside the transaction does not see its uncommitted rows.
        const outside = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from public.db_port_probe`);
        expect(outside.rows[0]!.n).toBe(0);
        throw new Error("abort the transaction");
      });
      await expect(failure).rejects.toThrow("abort the transaction");
      const after = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from public.db_port_probe`);
      expect(after.rows[0]!.n).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("commits a transaction's rows together and reports database errors with their code and constraint", async () => {
    const handle = openDb(testEnv);
    try {
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into public.db_port_probe (id, note) values ('c', 'kept')`);
        await tx.execute(sql`insert into public.db_port_probe (id, note) values ('d', 'kept')`);
      });
      const error = await handle.db.execute(sql`insert into public.db_port_probe (id, note) values ('c', 'duplicate')`).catch((e) => e);
      const pg = (error as { cause?: { code?: string; constraint?: string } }).cause ?? error;
      expect(pg).toMatchObject({ code: "23505", constraint: "db_port_probe_pkey" });
      const { rows } = await handle.db.execute<{ id: string }>(sql`select id from public.db_port_probe order by id`);
      expect(rows.map((r) => r.id)).toEqual(["c", "d"]);
    } finally {
      await handle.close();
    }
  });

  it("reaches the database its URL names, over HTTP and in a transaction (the relay serves each database from its own pool)", async () => {
    const scratchUrl = testEnv.vars.BACKUP_SCRATCH_DATABASE_URL as string | undefined;
    expect(scratchUrl).toMatch(/commerce_scratch$/);
    const handle = openDb(withVar("DATABASE_URL", scratchUrl!));
    try {
      const http = await handle.db.execute<{ db: string }>(sql`select current_database() as db`);
      const inTx = await handle.db.transaction(async (tx) => tx.execute<{ db: string }>(sql`select current_database() as db`));
      expect([http.rows[0]!.db, inTx.rows[0]!.db]).toEqual(["commerce_scratch", "commerce_scratch"]);
    } finally {
      await handle.close();
    }
    const main = await openDb(testEnv).db.execute<{ db: string }>(sql`select current_database() as db`);
    expect(main.rows[0]!.db).toBe("commerce");
  });
});
