/**
 * The slice of the Deno namespace the Deno adapter uses, typed here because
 * the project type-checks against the Workers types, which do not know
 * `Deno`. Only the adapter folder and the Deno entry read it.
 */

export type KvKey = readonly (string | number | bigint | boolean | Uint8Array)[];

export interface KvEntry<T> {
  key: KvKey;
  value: T | null;
  versionstamp: string | null;
}

export interface KvCommitResult {
  ok: boolean;
  versionstamp?: string;
}

export interface KvAtomic {
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomic;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomic;
  delete(key: KvKey): KvAtomic;
  enqueue(value: unknown, options?: { delay?: number; keysIfUndelivered?: KvKey[] }): KvAtomic;
  commit(): Promise<KvCommitResult>;
}

export interface Kv {
  get<T>(key: KvKey): Promise<KvEntry<T>>;
  getMany<T extends unknown[]>(keys: KvKey[]): Promise<KvEntry<T[number]>[]>;
  list<T>(selector: { prefix: KvKey; start?: KvKey; end?: KvKey }, options?: { limit?: number }): AsyncIterable<KvEntry<T>>;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<KvCommitResult>;
  delete(key: KvKey): Promise<void>;
  atomic(): KvAtomic;
  enqueue(value: unknown, options?: { delay?: number }): Promise<KvCommitResult>;
  listenQueue(handler: (message: unknown) => Promise<void> | void): Promise<void>;
  /** A stream that emits the keys' entries now and again whenever one of them changes (intermediate values may be skipped). */
  watch(keys: KvKey[]): ReadableStream<KvEntry<unknown>[]>;
  close(): void;
}

/** The server end of a WebSocket as Deno's standard WebSocket has it. */
export interface DenoWebSocket {
  readonly readyState: number;
  binaryType: "blob" | "arraybuffer";
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

interface FileInfo {
  isFile: boolean;
  size: number;
  mtime: Date | null;
}

export interface DenoApi {
  env: { toObject(): Record<string, string> };
  openKv(path?: string): Promise<Kv>;
  cron(name: string, schedule: string, handler: () => Promise<void> | void): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readTextFile(path: string): Promise<string>;
  writeTextFile(path: string, data: string): Promise<void>;
  stat(path: string): Promise<FileInfo>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  readDir(path: string): AsyncIterable<{ name: string; isFile: boolean; isDirectory: boolean }>;
  errors: { NotFound: new (...args: never[]) => Error };
  makeTempDir(): Promise<string>;
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code?: number): never;
  test(name: string, fn: () => Promise<void> | void): void;
  /** Answers a WebSocket handshake: only the request `Deno.serve` handed over can be upgraded, not a copy of it. */
  upgradeWebSocket(request: Request, options?: { idleTimeout?: number }): { socket: DenoWebSocket; response: Response };
  serve(
    options: { port: number; hostname?: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}

export interface SqliteStatement {
  columns(): { name: string }[];
  run(...bindings: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  all(...bindings: unknown[]): Record<string, unknown>[];
  get(...bindings: unknown[]): Record<string, unknown> | undefined;
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** node:sqlite, which Deno provides: the objects' databases live in it. */
export interface SqliteModule {
  DatabaseSync: new (path: string) => SqliteDatabase;
}

/** The Node modules Deno provides that the adapter uses (loaded by name, so the Workers type check does not need their types). */
export async function nodeModules(): Promise<{
  sqlite: SqliteModule;
  v8: { serialize(value: unknown): Uint8Array; deserialize(bytes: Uint8Array): unknown };
}> {
  const load = (name: string) => import(/* @vite-ignore */ name);
  const [sqlite, v8] = await Promise.all([load("node:sqlite"), load("node:v8")]);
  return { sqlite, v8 };
}

/** The Deno namespace; throws outside Deno, so nothing but the Deno entry should reach for it. */
export function deno(): DenoApi {
  const api = (globalThis as { Deno?: DenoApi }).Deno;
  if (!api) throw new Error("The Deno adapter runs only on Deno");
  return api;
}
