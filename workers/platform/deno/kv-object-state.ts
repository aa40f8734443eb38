/**
 * A Durable Object's state on Deno KV: the key-value half of the storage API
 * (get, put, delete, deleteAll, list, alarms) over the call's KvTransaction,
 * so an object class written for Durable Objects runs unchanged. An alarm is
 * a key holding its due time plus a delayed KV message written in the same
 * commit; on delivery the host runs `alarm()` only if the stored due time is
 * still the message's (a later setAlarm or deleteAlarm makes older messages
 * void). SQLite storage (`storage.sql`) has no KV counterpart here: an object
 * that uses it cannot be hosted by this adapter.
 */
import type { KvKey } from "./deno-api.ts";
import type { KvTransaction } from "./kv-transaction.ts";

export interface AlarmMessage {
  kind: "object-alarm";
  namespace: string;
  name: string;
  due: number;
}

export const isAlarmMessage = (m: unknown): m is AlarmMessage => (m as AlarmMessage | null)?.kind === "object-alarm";

export class SqlNotOnKv extends Error {
  override name = "SqlNotOnKv";
}

/** The storage of one object; `tx` is the transaction of the call in progress (calls to one object are serialised). */
export class KvObjectStorage {
  tx: KvTransaction | null = null;

  constructor(
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  private get call(): KvTransaction {
    if (!this.tx) throw new Error("Object storage used outside a call");
    return this.tx;
  }

  private valueKey = (key: string): KvKey => ["objects", this.namespace, this.name, "value", key];
  private get alarmKey(): KvKey {
    return ["objects", this.namespace, "alarm", this.name];
  }

  get(keys: string | string[]): Promise<unknown> {
    if (typeof keys === "string") return this.call.get(this.valueKey(keys));
    return (async () => {
      const found = new Map<string, unknown>();
      for (const k of keys) {
        const value = await this.call.get(this.valueKey(k));
        if (value !== undefined) found.set(k, value);
      }
      return found;
    })();
  }

  async put(key: string | Record<string, unknown>, value?: unknown): Promise<void> {
    const entries = typeof key === "string" ? { [key]: value } : key;
    for (const [k, v] of Object.entries(entries)) this.call.set(this.valueKey(k), v);
  }

  async delete(keys: string | string[]): Promise<boolean | number> {
    let deleted = 0;
    for (const k of typeof keys === "string" ? [keys] : keys) {
      if ((await this.call.get(this.valueKey(k))) !== undefined) deleted++;
      this.call.delete(this.valueKey(k));
    }
    return typeof keys === "string" ? deleted === 1 : deleted;
  }

  async list(): Promise<Map<string, unknown>> {
    const prefix: KvKey = ["objects", this.namespace, this.name, "value"];
    const entries = await this.call.list(prefix);
    return new Map(entries.map((e) => [String(e.key[prefix.length]), e.value]));
  }

  async deleteAll(): Promise<void> {
    for (const key of (await this.list()).keys()) this.call.delete(this.valueKey(key));
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

  get sql(): never {
    throw new SqlNotOnKv(`${this.namespace} keeps its state in SQLite storage, which the Deno KV adapter does not provide`);
  }
}
