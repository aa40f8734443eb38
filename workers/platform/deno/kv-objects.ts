/**
 * The per-key objects port on Deno: hosts the same object classes as the
 * Durable Objects, one instance per name, with their state on Deno KV
 * (kv-object-state.ts). Calls to one object in this process run one at a
 * time; each call is one optimistic KV transaction that commits the call's
 * writes (and alarm messages) atomically and checks every key it read, so
 * two processes serving the same object cannot both commit from the same
 * state: the loser runs the call again on a fresh instance. Arguments and
 * results are copied, as an RPC boundary copies them.
 */
import { ApiError, ErrorCode } from "../errors.ts";
import type { ObjectsPort } from "../runtime.ts";
import type { Kv } from "./deno-api.ts";
import { type AlarmMessage, isAlarmMessage, KvObjectStorage } from "./kv-object-state.ts";
import { KvTransaction } from "./kv-transaction.ts";

// biome-ignore lint/suspicious/noExplicitAny: the object classes take their own env type.
export type ObjectClass = new (ctx: DurableObjectState, env: any) => object;

/** A call lost its optimistic race more often than the retry budget allows. */
export class ObjectContention extends Error {
  override name = "ObjectContention";
}

const MAX_ATTEMPTS = 50;

interface Hosted {
  instance: Record<string, unknown> | null;
  storage: KvObjectStorage;
  queue: Promise<unknown>;
}

/** Counters a benchmark reads: commits, and attempts that lost to another writer. */
export interface ObjectStats {
  commits: number;
  conflicts: number;
}

export class KvObjects {
  private readonly hosted = new Map<string, Hosted>();
  readonly stats: ObjectStats = { commits: 0, conflicts: 0 };

  constructor(
    private readonly kv: Kv,
    private readonly classes: Readonly<Record<string, ObjectClass>>,
    private readonly env: Record<string, unknown>,
  ) {}

  readonly port: ObjectsPort = {
    get: (namespace, name) => this.stub(namespace, name) as never,
    has: (namespace) => namespace in this.classes,
  };

  private stub(namespace: string, name: string): object {
    const hosted = namespace in this.classes;
    return new Proxy(
      {},
      {
        get: (_target, method) => {
          // Not a thenable: `await stub` must not call into the object.
          if (typeof method !== "string" || method === "then") return undefined;
          // An object this runtime does not host yet: its routes answer 503 (documented on every route), not 500.
          if (!hosted)
            return () =>
              Promise.reject(new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, `${namespace} objects are not served on this runtime`));
          return (...args: unknown[]) => this.call(namespace, name, (o) => invoke(o, method, structuredClone(args)));
        },
      },
    );
  }

  /** Takes a KV message if it is an object alarm; resolves once the alarm has run (or was void). */
  receive(message: unknown): Promise<void> | null {
    if (!isAlarmMessage(message)) return null;
    return this.alarm(message);
  }

  private async alarm(message: AlarmMessage): Promise<void> {
    await this.call(message.namespace, message.name, async (object, storage) => {
      // Run only if this message is still the object's alarm, and not early.
      if ((await storage.getAlarm()) !== message.due || message.due > Date.now()) return;
      await storage.deleteAlarm();
      await invoke(object, "alarm", []);
    });
  }

  private entry(namespace: string, name: string): Hosted {
    const id = `${namespace}\u0000${name}`;
    let hosted = this.hosted.get(id);
    if (!hosted) {
      hosted = { instance: null, storage: new KvObjectStorage(namespace, name), queue: Promise.resolve() };
      this.hosted.set(id, hosted);
    }
    return hosted;
  }

  /** Runs `work` on the object as one transaction, after the object's earlier calls, retrying lost races. */
  private call<R>(namespace: string, name: string, work: (o: Record<string, unknown>, s: KvObjectStorage) => Promise<R>): Promise<R> {
    const hosted = this.entry(namespace, name);
    const run = hosted.queue.then(async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const tx = new KvTransaction(this.kv);
        hosted.storage.tx = tx;
        try {
          hosted.instance ??= this.construct(namespace, name, hosted.storage);
          const result = await work(hosted.instance, hosted.storage);
          if (await tx.commit()) {
            this.stats.commits++;
            return structuredClone(result);
          }
        } finally {
          hosted.storage.tx = null;
        }
        // Another process wrote what this call read: its in-memory state may be stale too.
        this.stats.conflicts++;
        hosted.instance = null;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
      }
      throw new ObjectContention(`${namespace}/${name}: no commit after ${MAX_ATTEMPTS} attempts`);
    });
    hosted.queue = run.catch(() => undefined);
    return run;
  }

  private construct(namespace: string, name: string, storage: KvObjectStorage): Record<string, unknown> {
    const Class = this.classes[namespace] as ObjectClass;
    const ctx = {
      id: { toString: () => name, name, equals: (o: { name?: string }) => o.name === name },
      storage,
      blockConcurrencyWhile: <T>(fn: () => Promise<T>) => fn(),
      waitUntil: (p: Promise<unknown>) => void p,
    } as unknown as DurableObjectState;
    return new Class(ctx, this.env) as Record<string, unknown>;
  }
}

async function invoke(object: Record<string, unknown>, method: string, args: unknown[]): Promise<unknown> {
  const fn = object[method];
  if (typeof fn !== "function") throw new TypeError(`The object has no method ${method}`);
  return await fn.apply(object, args);
}
