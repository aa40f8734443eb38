/**
 * An object's statement log on Deno KV: a head key `{seq, base}` and the
 * entries `[..., "log", seq, part]`, each entry the statements of one call
 * (split in parts under KV's 64 KiB value limit). The entry at `base` is a
 * snapshot that rebuilds the database from empty; entries before it are
 * deleted once the snapshot is committed. Entries up to the head never
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
  private readonly headKey: KvKey;

  constructor(
    private readonly kv: Kv,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.prefix = ["objects", namespace, name, "log"];
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

  /**
   * Makes `snapshot` the new base (entry `seq + 1`) if the head is still
   * `seq`, then deletes the entries before it. Returns the new base, or null
   * when another process appended in between.
   */
  async rebase(seq: number, snapshot: readonly LoggedStatement[]): Promise<number | null> {
    const tx = new KvTransaction(this.kv);
    const head = await this.head(tx);
    if (head.seq !== seq) return null;
    const base = seq + 1;
    for (const [i, part] of splitInParts(snapshot).entries()) tx.set([...this.prefix, base, i], part);
    tx.set(this.headKey, { seq: base, base } satisfies Head);
    if (!(await tx.commit())) return null;
    let batch = this.kv.atomic();
    let size = 0;
    for await (const e of this.kv.list({ prefix: this.prefix })) {
      if ((e.key[this.prefix.length] as number) >= base) break;
      batch = batch.delete(e.key);
      if (++size === KV_LIMITS.mutations) {
        await batch.commit();
        batch = this.kv.atomic();
        size = 0;
      }
    }
    if (size > 0) await batch.commit();
    return base;
  }
}
