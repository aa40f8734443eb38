/**
 * A Durable Object's storage on Deno: the Workers storage API (SQL, the
 * synchronous and asynchronous key-value calls, transactionSync, alarms) over
 * the object's database (object-database.ts) and the call's KV transaction,
 * so the object classes written for Durable Objects run unchanged. An alarm
 * is a KV key holding its due time plus a delayed KV message written in the
 * same commit; on delivery the host runs `alarm()` only if the stored due
 * time is still the message's (a later setAlarm or deleteAlarm makes older
 * messages void).
 */
import type { KvKey } from "./deno-api.ts";
import type { KvTransaction } from "./kv-transaction.ts";
import type { ObjectDatabase } from "./object-database.ts";

export interface AlarmMessage {
  kind: "object-alarm";
  namespace: string;
  name: string;
  due: number;
}

/** The key an object's broadcasts to its live sockets are written to (the last one), in the commit of the call that sent it. */
export const liveKey = (namespace: string, name: string): KvKey => ["objects", namespace, name, "live"];

export const isAlarmMessage = (m: unknown): m is AlarmMessage => (m as AlarmMessage | null)?.kind === "object-alarm";

/** The storage of one object; `tx` is the transaction of the call in progress (calls to one object are serialised). */
export class KvObjectStorage {
  tx: KvTransaction | null = null;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly db: ObjectDatabase,
  ) {}

  private get call(): KvTransaction {
    if (!this.tx) throw new Error("Object storage used outside a call");
    return this.tx;
  }

  private get alarmKey(): KvKey {
    return ["objects", this.namespace, "alarm", this.name];
  }

  get sql(): ObjectDatabase["sql"] {
    return this.db.sql;
  }

  get kv(): ObjectDatabase["kv"] {
    return this.db.kv;
  }

  transactionSync<T>(fn: () => T): T {
    return this.db.transactionSync(fn);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return await fn();
  }

  async get(keys: string | string[]): Promise<unknown> {
    if (typeof keys === "string") return this.db.kv.get(keys);
    const found = new Map<string, unknown>();
    for (const k of keys) {
      const value = this.db.kv.get(k);
      if (value !== undefined) found.set(k, value);
    }
    return found;
  }

  async put(key: string | Record<string, unknown>, value?: unknown): Promise<void> {
    const entries = typeof key === "string" ? { [key]: value } : key;
    for (const [k, v] of Object.entries(entries)) this.db.kv.put(k, v);
  }

  async delete(keys: string | string[]): Promise<boolean | number> {
    let deleted = 0;
    for (const k of typeof keys === "string" ? [keys] : keys) if (this.db.kv.delete(k)) deleted++;
    return typeof keys === "string" ? deleted === 1 : deleted;
  }

  async list(): Promise<Map<string, unknown>> {
    return this.db.kv.list();
  }

  async deleteAll(): Promise<void> {
    this.db.deleteAll();
    await this.deleteAlarm();
  }

  async getAlarm(): Promise<number | null> {
    return (await this.call.get<number>(this.alarmKey)) ?? null;
  }

  async setAlarm(at: number | Date): Promise<void> {
    const due = typeof at === "number" ? at : at.getTime();
    this.call.set(this.alarmKey, due);
    const message: AlarmMessage = { kind: "object-alarm", namespace: this.namespace, name: this.name, due };
    this.call.enqueue(message, due - Date.now());
  }

  async deleteAlarm(): Promise<void> {
    this.call.delete(this.alarmKey);
  }

  async sync(): Promise<void> {}
}
