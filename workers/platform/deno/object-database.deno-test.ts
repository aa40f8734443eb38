/**
 * Objects with SQLite storage on Deno (runtime-specific: they need Deno KV
 * and node:sqlite, so they run with `npm run test:deno`): the statement log
 * rebuilds the same database in another process, racing processes lose no
 * row and keep what triggers maintain, a rolled-back transactionSync leaves
 * no trace, and compaction cuts the log to a snapshot without changing what
 * a new process sees.
 */

import { deno, type Kv, nodeModules } from "./deno-api.ts";
import { KvObjects } from "./kv-objects.ts";
import { check, equal } from "./test-assertions.ts";

const api = deno();
const modules = await nodeModules();

/** A ledger in SQL with a trigger-kept total and an autoincrement key, as the stock object keeps its movements. */
class Ledger {
  constructor(private readonly ctx: DurableObjectState) {
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS moves (seq INTEGER PRIMARY KEY AUTOINCREMENT, amount INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS total (id INTEGER PRIMARY KEY CHECK (id = 1), sum INTEGER NOT NULL);
      INSERT OR IGNORE INTO total (id, sum) VALUES (1, 0);
      CREATE TRIGGER IF NOT EXISTS moves_total AFTER INSERT ON moves BEGIN UPDATE total SET sum = sum + NEW.amount WHERE id = 1; END;`);
  }
  async add(amount: number): Promise<number> {
    // An await between read and write, as an object call that asks something else first.
    await new Promise((r) => setTimeout(r, 0));
    return this.ctx.storage.sql.exec<{ seq: number }>("INSERT INTO moves (amount) VALUES (?) RETURNING seq", amount).one().seq;
  }
  async addNote(text: string): Promise<void> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)");
    this.ctx.storage.sql.exec("INSERT INTO notes (text) VALUES (?)", text);
  }
  async noteBytes(): Promise<number> {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT coalesce(sum(length(text)), 0) AS n FROM notes").one().n;
  }
  async addThenFail(amount: number): Promise<void> {
    this.ctx.storage.sql.exec("INSERT INTO moves (amount) VALUES (?)", amount);
    try {
      this.ctx.storage.transactionSync(() => {
        this.ctx.storage.sql.exec("INSERT INTO moves (amount) VALUES (?)", 1000);
        throw new Error("refused inside the transaction");
      });
    } catch {
      // The transaction's insert is undone; the one before it stays.
    }
  }
  async addThenThrow(amount: number): Promise<void> {
    this.ctx.storage.kv.put("note", { amount });
    this.ctx.storage.sql.exec("INSERT INTO moves (amount) VALUES (?)", amount);
    throw new Error("failed after writing");
  }
  async view(): Promise<{ rows: number; sum: number; maxSeq: number; note: unknown }> {
    const { rows, maxSeq } = this.ctx.storage.sql
      .exec<{ rows: number; maxSeq: number }>("SELECT count(*) AS rows, coalesce(max(seq), 0) AS maxSeq FROM moves")
      .one();
    const { sum } = this.ctx.storage.sql.exec<{ sum: number }>("SELECT sum FROM total").one();
    return { rows, sum, maxSeq, note: this.ctx.storage.kv.get("note") ?? null };
  }
}

const host = (kv: Kv) => new KvObjects(kv, { LEDGER: Ledger }, {}, modules);
const ledger = (h: KvObjects, name: string) => h.port.get("LEDGER", name) as unknown as Ledger;

async function logKeys(kv: Kv, name: string): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: ["objects", "LEDGER", name, "log"] })) n++;
  return n;
}

api.test("another process rebuilds the same database from the log, and each catches up with the other's writes", async () => {
  const kv = await api.openKv(":memory:");
  const a = host(kv);
  for (let i = 1; i <= 5; i++) await ledger(a, "books").add(i);
  const b = host(kv);
  equal(await ledger(b, "books").view(), { rows: 5, sum: 15, maxSeq: 5, note: null }, "what a new process sees");
  equal(await ledger(b, "books").add(100), 6, "the next autoincrement key in the new process");
  equal(await ledger(a, "books").view(), { rows: 6, sum: 115, maxSeq: 6, note: null }, "the first process after catching up");
  check(b.stats.replayed === 5 && a.stats.replayed === 1, `entries replayed: ${b.stats.replayed} and ${a.stats.replayed}`);
  kv.close();
});

api.test("racing processes on one SQL object lose no row, and the trigger's total stays the sum of the rows", async () => {
  const kv = await api.openKv(":memory:");
  const [a, b] = [host(kv), host(kv)];
  const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => ledger(i % 2 ? a : b, "hot").add(i + 1)));
  equal(
    [...seqs].sort((x, y) => x - y),
    Array.from({ length: 40 }, (_, i) => i + 1),
    "every insert got its own key",
  );
  const view = await ledger(host(kv), "hot").view();
  equal([view.rows, view.sum], [40, 820], "rows and total seen by a third process");
  check(a.stats.conflicts + b.stats.conflicts > 0, "the race made at least one commit lose and run again");
  kv.close();
});

api.test("a transactionSync that throws leaves neither its rows nor its log entry; a call that throws keeps what it wrote", async () => {
  const kv = await api.openKv(":memory:");
  const a = host(kv);
  await ledger(a, "careful").addThenFail(7);
  const failure = await ledger(a, "careful")
    .addThenThrow(3)
    .then(
      () => null,
      (err: Error) => err.message,
    );
  equal(failure, "failed after writing", "the call's error reaches the caller");
  equal(await ledger(host(kv), "careful").view(), { rows: 2, sum: 10, maxSeq: 2, note: { amount: 3 } }, "what a new process sees");
  kv.close();
});

api.test("compaction cuts the log to a snapshot, and a new process rebuilds the same state from it", async () => {
  const kv = await api.openKv(":memory:");
  const a = host(kv);
  for (let i = 1; i <= 230; i++) await ledger(a, "long").add(1);
  const keys = await logKeys(kv, "long");
  check(keys <= 40, `log keys left after compaction: ${keys}`);
  const b = host(kv);
  equal(await ledger(b, "long").view(), { rows: 230, sum: 230, maxSeq: 230, note: null }, "state rebuilt from the snapshot");
  equal(await ledger(b, "long").add(5), 231, "the autoincrement counter came with the snapshot");
  equal((await ledger(a, "long").view()).sum, 235, "the first process after catching up");
  kv.close();
});

api.test("a snapshot larger than one KV commit is written in several and still rebuilds the object", async () => {
  const kv = await api.openKv(":memory:");
  const a = host(kv);
  const text = "x".repeat(8_000);
  // 200 entries of 8,000 characters: a snapshot of about 1.6 MB, twice what one commit may hold.
  for (let i = 0; i < 200; i++) await ledger(a, "big").addNote(text);
  let snapshotParts = 0;
  for await (const _ of kv.list({ prefix: ["objects", "LEDGER", "big", "snap"] })) snapshotParts++;
  check(snapshotParts > 12, `snapshot parts: ${snapshotParts}`);
  equal(await logKeys(kv, "big"), 0, "log entries left once the snapshot is the base");
  equal(await ledger(host(kv), "big").noteBytes(), 1_600_000, "characters a new process rebuilds");
  kv.close();
});
