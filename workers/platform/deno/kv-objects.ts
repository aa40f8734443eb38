/**
 * The per-key objects port on Deno: hosts the same object classes as the
 * Durable Objects, one instance per name, each with its own SQLite database
 * (object-database.ts) made durable as a statement log on Deno KV.
 *
 * Calls to one object in this process run one at a time. Each call reads the
 * object's log head, first replays what other processes appended since this
 * process last saw it (and then builds a fresh instance, whose memory may be
 * stale), runs inside one SQLite transaction, and ends with one atomic KV
 * commit that checks the head it read and appends the call's statements with
 * its alarm and outbox writes. If another process appended first, the commit
 * fails as a whole, the SQLite transaction rolls back and the call runs again:
 * optimistic concurrency in place of the Durable Object's single writer.
 * Arguments and results are copied, as an RPC boundary copies them.
 *
 * Live views: what an object broadcasts to `ctx.getWebSockets()` is written
 * to its live key in the call's commit, and an upgrade to the object's fetch
 * goes to the host's live sockets (live-sockets.ts), which follow that key
 * and run the object's `webSocketMessage` for each message a client sends.
 */
import { ApiError, ErrorCode } from "../errors.ts";
import { errorFields, log } from "../log.ts";
import type { ObjectsPort } from "../runtime.ts";
import type { Kv, nodeModules } from "./deno-api.ts";
import { type AlarmMessage, isAlarmMessage, KvObjectStorage, liveKey } from "./kv-object-state.ts";
import { KvTransaction } from "./kv-transaction.ts";
import { type LoggedStatement, ObjectDatabase } from "./object-database.ts";
import { type Head, ObjectLog } from "./object-log.ts";

// biome-ignore lint/suspicious/noExplicitAny: the object classes take their own env type.
export type ObjectClass = new (ctx: DurableObjectState, env: any) => object;

export type NodeModules = Awaited<ReturnType<typeof nodeModules>>;

/** A call lost its optimistic race more often than the retry budget allows. */
export class ObjectContention extends Error {
  override name = "ObjectContention";
}

const MAX_ATTEMPTS = 50;
/** Log entries after which the object's database is written whole as a new base, and the older entries go. */
const COMPACT_AFTER = 200;

interface Hosted {
  instance: Record<string, unknown> | null;
  storage: KvObjectStorage;
  /** The last log entry this process's database holds. */
  seq: number;
  queue: Promise<unknown>;
}

/** Counters a benchmark reads: commits, attempts that lost to another writer, log entries replayed from others. */
export interface ObjectStats {
  commits: number;
  conflicts: number;
  replayed: number;
}

/** What answers a hosted object's WebSocket upgrade (live-sockets.ts). */
export interface LiveUpgrades {
  prepare(namespace: string, name: string, request: Request): Promise<Response>;
}

export class KvObjects {
  private readonly hosted = new Map<string, Hosted>();
  readonly stats: ObjectStats = { commits: 0, conflicts: 0, replayed: 0 };
  /** Live views over WebSocket; without them an upgrade answers 503. */
  live: LiveUpgrades | null = null;

  constructor(
    private readonly kv: Kv,
    private readonly classes: Readonly<Record<string, ObjectClass>>,
    private readonly env: Record<string, unknown>,
    private readonly modules: NodeModules,
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
          // An object this runtime does not host: its routes answer 503 (documented on every route), not 500.
          if (!hosted)
            return () =>
              Promise.reject(new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, `${namespace} objects are not served on this runtime`));
          // A request to an object's fetch is a live view's WebSocket upgrade, answered by the host (live-sockets.ts).
          if (method === "fetch") return (request: Request) => this.upgrade(namespace, name, request);
          return (...args: unknown[]) => this.call(namespace, name, (o) => invoke(o, method, structuredClone(args)));
        },
      },
    );
  }

  private async upgrade(namespace: string, name: string, request: Request): Promise<Response> {
    if (!this.live) throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "Live views over WebSocket are not served by this host");
    return await this.live.prepare(namespace, name, request);
  }

  /**
   * Runs the object's `webSocketMessage` for a message from one of its live
   * sockets, and returns what the object sent back on that socket.
   */
  async reply(namespace: string, name: string, message: string | ArrayBuffer): Promise<string[]> {
    if (!(namespace in this.classes)) throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, `${namespace} objects are not served`);
    return await this.call(namespace, name, async (object) => {
      const sent: string[] = [];
      // Live views send text (JSON); that is all this host relays.
      const socket = { send: (m: unknown) => void (typeof m === "string" && sent.push(m)), close: () => undefined };
      await invoke(object, "webSocketMessage", [socket, message]);
      return sent;
    });
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

  private newDatabase(): ObjectDatabase {
    const { sqlite, v8 } = this.modules;
    return new ObjectDatabase(sqlite, v8.serialize, v8.deserialize);
  }

  private entry(namespace: string, name: string): Hosted {
    const id = `${namespace}\u0000${name}`;
    let hosted = this.hosted.get(id);
    if (!hosted) {
      hosted = { instance: null, storage: new KvObjectStorage(namespace, name, this.newDatabase()), seq: 0, queue: Promise.resolve() };
      this.hosted.set(id, hosted);
    }
    return hosted;
  }

  /** Brings this process's database up to `head`: the entries after its own, or the snapshot and the entries after it. */
  private async catchUp(hosted: Hosted, objectLog: ObjectLog, head: Head): Promise<void> {
    if (hosted.seq === head.seq) return;
    const entries: LoggedStatement[][] = [];
    if (hosted.seq < head.base || hosted.seq > head.seq) {
      hosted.storage = new KvObjectStorage(hosted.storage.namespace, hosted.storage.name, this.newDatabase());
      entries.push(await objectLog.snapshot(head.base));
      entries.push(...(await objectLog.read(head.base + 1, head.seq)));
    } else entries.push(...(await objectLog.read(hosted.seq + 1, head.seq)));
    hosted.storage.db.replayAll(entries);
    this.stats.replayed += entries.length;
    hosted.seq = head.seq;
    hosted.instance = null;
  }

  /** Runs `work` on the object as one transaction, after the object's earlier calls, retrying lost races. */
  private call<R>(namespace: string, name: string, work: (o: Record<string, unknown>, s: KvObjectStorage) => Promise<R>): Promise<R> {
    const hosted = this.entry(namespace, name);
    const objectLog = new ObjectLog(this.kv, namespace, name);
    const run = hosted.queue.then(async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const tx = new KvTransaction(this.kv);
        const head = await objectLog.head(tx);
        await this.catchUp(hosted, objectLog, head);
        const { storage } = hosted;
        storage.db.begin();
        storage.tx = tx;
        let outcome: { ok: true; value: R } | { ok: false; error: unknown };
        try {
          if (!hosted.instance) {
            const blocking: Promise<unknown>[] = [];
            hosted.instance = this.construct(namespace, name, storage, blocking);
            // What the constructor asked to finish before any call (blockConcurrencyWhile) finishes first.
            await Promise.all(blocking);
          }
          outcome = { ok: true, value: await work(hosted.instance, storage) };
        } catch (error) {
          // As on Durable Objects, what the call wrote before it threw stays written.
          outcome = { ok: false, error };
        } finally {
          storage.tx = null;
        }
        const appended = storage.db.pending.length > 0;
        let committed: boolean;
        try {
          if (appended) objectLog.append(tx, head, storage.db.pending);
          committed = await tx.commit();
        } catch (err) {
          // A local KV file shared by several processes refuses a commit while another holds its lock: nothing was
          // applied, so it is a lost race like any other. Anything else is a failure of the call.
          if (!isBusy(err)) {
            storage.db.rollback();
            hosted.instance = null;
            throw err;
          }
          committed = false;
        }
        if (committed) {
          storage.db.commit();
          if (appended) hosted.seq = head.seq + 1;
          this.stats.commits++;
          // Every COMPACT_AFTER entries past the base (a compaction that lost a race waits for the next mark).
          if (appended && hosted.seq > head.base && (hosted.seq - head.base) % COMPACT_AFTER === 0) await this.compact(hosted, objectLog);
          if (!outcome.ok) throw outcome.error;
          return structuredClone(outcome.value);
        }
        // Another process appended first: this call ran on a state that is no longer the object's.
        storage.db.rollback();
        this.stats.conflicts++;
        hosted.instance = null;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
      }
      throw new ObjectContention(`${namespace}/${name}: no commit after ${MAX_ATTEMPTS} attempts`);
    });
    hosted.queue = run.catch(() => undefined);
    return run;
  }

  /** Writes the database whole as the new base of the log; a failure only leaves the log longer. */
  private async compact(hosted: Hosted, objectLog: ObjectLog): Promise<void> {
    try {
      await objectLog.rebase(hosted.seq, hosted.storage.db.dump());
    } catch (err) {
      log.warn("deno_object.compaction_failed", { object: objectLog.describe(), ...errorFields(err) });
    }
  }

  private construct(namespace: string, name: string, storage: KvObjectStorage, blocking: Promise<unknown>[]): Record<string, unknown> {
    const Class = this.classes[namespace] as ObjectClass;
    // What the object broadcasts to its sockets goes to its live key, in the call's commit; the host's sockets follow that key.
    const broadcast = { send: (text: string) => storage.tx?.set(liveKey(namespace, name), text), close: () => undefined };
    const ctx = {
      id: { toString: () => name, name, equals: (o: { name?: string }) => o.name === name },
      storage,
      blockConcurrencyWhile: <T>(fn: () => Promise<T>) => {
        const done = fn();
        blocking.push(done);
        return done;
      },
      waitUntil: (p: Promise<unknown>) => void p,
      acceptWebSocket: () => {
        throw new Error("On this runtime the host accepts live sockets (live-sockets.ts)");
      },
      getWebSockets: () => [broadcast],
    } as unknown as DurableObjectState;
    return new Class(ctx, this.env) as Record<string, unknown>;
  }
}

const isBusy = (err: unknown) => err instanceof Error && /database is locked|SQLITE_BUSY/i.test(err.message);

async function invoke(object: Record<string, unknown>, method: string, args: unknown[]): Promise<unknown> {
  const fn = object[method];
  if (typeof fn !== "function") throw new TypeError(`The object has no method ${method}`);
  return await fn.apply(object, args);
}
