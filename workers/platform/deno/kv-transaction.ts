/**
 * One call's view of an object's storage on Deno KV: reads are recorded
 * with their versionstamps, writes are buffered (and read back by later
 * reads of the same call), and `commit` makes them one atomic KV commit that
 * checks every key the call read. A commit that finds a key changed by
 * another process fails as a whole, and the call runs again from the start:
 * optimistic concurrency in place of the Durable Object's single writer.
 */
import type { Kv, KvAtomic, KvKey } from "./deno-api.ts";

const DELETED = Symbol("deleted");

const startsWith = (key: KvKey, prefix: KvKey) => key.length > prefix.length && prefix.every((part, i) => key[i] === part);

/** The KV limits of one atomic commit (Deno KV: 100 checks, 1,000 mutations, 64 KiB per value). */
export const KV_LIMITS = { checks: 100, mutations: 1000, valueBytes: 65_536 };

export class KvTransaction {
  private readonly reads = new Map<string, { key: KvKey; versionstamp: string | null }>();
  private readonly writes = new Map<string, { key: KvKey; value: unknown }>();
  private readonly messages: { value: unknown; delay: number }[] = [];

  constructor(private readonly kv: Kv) {}

  private id = (key: KvKey) => JSON.stringify(key);

  async get<T>(key: KvKey): Promise<T | undefined> {
    const written = this.writes.get(this.id(key));
    if (written) return written.value === DELETED ? undefined : (structuredClone(written.value) as T);
    const entry = await this.kv.get<T>(key);
    if (!this.reads.has(this.id(key))) this.reads.set(this.id(key), { key, versionstamp: entry.versionstamp });
    return entry.value ?? undefined;
  }

  /** Every key under a prefix (this call's writes applied), each read recorded for the commit's checks. */
  async list<T>(prefix: KvKey): Promise<{ key: KvKey; value: T }[]> {
    const found = new Map<string, { key: KvKey; value: T }>();
    for await (const entry of this.kv.list<T>({ prefix })) {
      const id = this.id(entry.key);
      if (!this.reads.has(id)) this.reads.set(id, { key: entry.key, versionstamp: entry.versionstamp });
      found.set(id, { key: entry.key, value: entry.value as T });
    }
    for (const [id, w] of this.writes) {
      if (!startsWith(w.key, prefix)) continue;
      if (w.value === DELETED) found.delete(id);
      else found.set(id, { key: w.key, value: structuredClone(w.value) as T });
    }
    return [...found.values()];
  }

  set(key: KvKey, value: unknown): void {
    this.writes.set(this.id(key), { key, value: structuredClone(value) });
  }

  delete(key: KvKey): void {
    this.writes.set(this.id(key), { key, value: DELETED });
  }

  /** A KV queue message sent only if the commit succeeds (delayed by `delay` ms). */
  enqueue(value: unknown, delay: number): void {
    this.messages.push({ value, delay: Math.max(0, Math.round(delay)) });
  }

  get size(): { checks: number; mutations: number } {
    return { checks: this.reads.size, mutations: this.writes.size + this.messages.length };
  }

  /** True when committed; false when another writer changed a key this call read. */
  async commit(): Promise<boolean> {
    if (this.writes.size === 0 && this.messages.length === 0) return true;
    const { checks, mutations } = this.size;
    if (checks > KV_LIMITS.checks || mutations > KV_LIMITS.mutations) {
      throw new Error(`One object call exceeds a KV commit: ${checks} checks, ${mutations} mutations`);
    }
    let op: KvAtomic = this.kv.atomic().check(...this.reads.values());
    for (const { key, value } of this.writes.values()) op = value === DELETED ? op.delete(key) : op.set(key, value);
    for (const m of this.messages) op = op.enqueue(m.value, m.delay > 0 ? { delay: m.delay } : undefined);
    return (await op.commit()).ok;
  }
}
