/**
 * An object's statement log on Deno KV: a head key `{seq, base}`, the
 * entries `[..., "log", seq, part]` (each the statements of one call, split
 * in parts under KV's 64 KiB value limit) and at most one snapshot
 * `[..., "snap", base, part]` that rebuilds the database as it was after
 * entry `base` (0: no snapshot, the log starts from empty). A snapshot is
 * written in as many commits as its size needs (a commit holds at most
 * 800 KiB), then one small commit that checks the head makes it the base;
 * only then are the entries it covers deleted. Entries up to the head never
 * change once written, so a reader that checked the head can list them
 * outside the transaction.
 */
import type { Kv, KvKey } from "./deno-api.ts";
import { KV_LIMITS, KvTransaction } from "./kv-transaction.ts";
import type { LoggedStatement } from "./object-database.ts";

export interface Head {
  seq: number;
  base: number;
}

/** Bytes one part may hold, with room for the encoding's own overhead. */
const PART_BYTES = 56_000;
/** Parts per commit while a snapshot is written: a commit holds at most 800 KiB of mutations. */
const PARTS_PER_COMMIT = 12;

function approximateBytes([sql, bindings]: LoggedStatement): number {
  let n = sql.length * 2 + 16;
  for (const b of bindings) n += typeof b === "string" ? b.length * 2 + 8 : b instanceof Uint8Array ? b.byteLength + 8 : 16;
  return n;
}

/** The statements cut in parts that each fit one KV value (a single statement bigger than that fails at commit). */
export function splitInParts(statements: readonly LoggedStatement[]): LoggedStatement[][] {
  const parts: LoggedStatement[][] = [];
  let current: LoggedStatement[] = [];
  let bytes = 0;
  for (const s of statements) {
    const size = approximateBytes(s);
    if (current.length > 0 && bytes + size > PART_BYTES) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

export class ObjectLog {
  private readonly prefix: KvKey;
  private readonly snapPrefix: KvKey;
  private readonly headKey: KvKey;

  constructor(
    private readonly kv: Kv,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.prefix = ["objects", namespace, name, "log"];
    this.snapPrefix = ["objects", namespace, name, "snap"];
    this.headKey = ["objects", namespace, name, "head"];
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The head, read inside the call's transaction so its commit checks it. */
  async head(tx: KvTransaction): Promise<Head> {
    return (await tx.get<Head>(this.headKey)) ?? { seq: 0, base: 0 };
  }

  /** Appends one call's statements as entry `head.seq + 1`, in the call's transaction. */
  append(tx: KvTransaction, head: Head, statements: readonly LoggedStatement[]): void {
    const seq = head.seq + 1;
    for (const [i, part] of splitInParts(statements).entries()) tx.set([...this.prefix, seq, i], part);
    tx.set(this.headKey, { seq, base: head.base } satisfies Head);
  }

  /** The entries `from..to`, each with its parts joined, in order; a gap means the log was cut under the reader. */
  async read(from: number, to: number): Promise<LoggedStatement[][]> {
    const entries = new Map<number, LoggedStatement[]>();
    for await (const e of this.kv.list<LoggedStatement[]>({ prefix: this.prefix, start: [...this.prefix, from] })) {
      const seq = e.key[this.prefix.length] as number;
      if (seq > to) break;
      entries.set(seq, [...(entries.get(seq) ?? []), ...(e.value ?? [])]);
    }
    const out: LoggedStatement[][] = [];
    for (let seq = from; seq <= to; seq++) {
      const entry = entries.get(seq);
      if (!entry) throw new Error(`${this.describe()}: log entry ${seq} is missing`);
      out.push(entry);
    }
    return out;
  }

  /** The snapshot taken after entry `base`, its parts joined in order. */
  async snapshot(base: number): Promise<LoggedStatement[]> {
    const out: LoggedStatement[] = [];
    for await (const e of this.kv.list<LoggedStatement[]>({ prefix: [...this.snapPrefix, base] })) out.push(...(e.value ?? []));
    if (out.length === 0) throw new Error(`${this.describe()}: snapshot ${base} is missing`);
    return out;
  }

  /**
   * Makes `snapshot` (the database after entry `seq`) the new base if the
   * head is still at `seq`, then deletes the entries and the snapshot it
   * replaces. Returns false when another process appended in between (the
   * parts written are deleted again).
   */
  async rebase(seq: number, snapshot: readonly LoggedStatement[]): Promise<boolean> {
    const parts = splitInParts(snapshot);
    for (let i = 0; i < parts.length; i += PARTS_PER_COMMIT) {
      let op = this.kv.atomic();
      parts.slice(i, i + PARTS_PER_COMMIT).forEach((part, j) => {
        op = op.set([...this.snapPrefix, seq, i + j], part);
      });
      if (!(await op.commit()).ok) throw new Error(`${this.describe()}: writing snapshot ${seq} failed`);
    }
    const tx = new KvTransaction(this.kv);
    const head = await this.head(tx);
    const switched = head.seq === seq && head.base < seq;
    if (switched) {
      tx.set(this.headKey, { seq, base: seq } satisfies Head);
      if (!(await tx.commit())) return this.deleteUnder([...this.snapPrefix, seq]).then(() => false);
    } else {
      await this.deleteUnder([...this.snapPrefix, seq]);
      return false;
    }
    await this.deleteUnder(this.prefix, [...this.prefix, seq + 1]);
    if (head.base > 0) await this.deleteUnder([...this.snapPrefix, head.base]);
    return true;
  }

  /** Deletes every key under `prefix` (before `end`, when given), a commit per 1,000 keys. */
  private async deleteUnder(prefix: KvKey, end?: KvKey): Promise<void> {
    let batch = this.kv.atomic();
    let size = 0;
    for await (const e of this.kv.list(end ? { prefix, end } : { prefix })) {
      batch = batch.delete(e.key);
      if (++size === KV_LIMITS.mutations) {
        await batch.commit();
        batch = this.kv.atomic();
        size = 0;
      }
    }
    if (size > 0) await batch.commit();
  }
}
