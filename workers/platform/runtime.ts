/**
 * The ports: everything the runtime provides, as small interfaces. Domain
 * code reaches objects, queues, blobs, the HTTP cache, the clock and
 * background work only through a `Runtime`, never through a binding, so the
 * same families run on Cloudflare Workers and on Deno. One adapter per
 * runtime builds a `Runtime` (workers/platform/cloudflare/runtime.ts).
 *
 * Ids need no port: they come from Web Crypto, which both runtimes provide.
 */

/**
 * Per-key strongly consistent objects (Durable Objects): one object per
 * name in a namespace, every call to it serialised. `T` is the object's
 * class, so its RPC methods are typed.
 */
export interface ObjectsPort {
  get<T extends Rpc.DurableObjectBranded | undefined>(namespace: string, name: string): DurableObjectStub<T>;
  /** Whether the namespace is bound (the health check reports a missing one). */
  has(namespace: string): boolean;
}

/** Queues: send messages to a named queue (at most 100 per batch). */
export interface QueuesPort {
  send(queue: string, body: unknown): Promise<void>;
  sendBatch(queue: string, bodies: unknown[]): Promise<void>;
  has(queue: string): boolean;
}

/** A blob store: the subset of R2 the families use (multipart uploads for files written as they are produced). */
export type BlobStore = Pick<R2Bucket, "put" | "get" | "head" | "delete" | "list" | "createMultipartUpload">;
export interface BlobsPort {
  bucket(name: string): BlobStore;
}

/** The HTTP cache in front of public reads (the Cache API's default cache on Workers). */
export type HttpCache = Pick<Cache, "match" | "put" | "delete">;

/**
 * The runtime's own coarse rate limiter (Cloudflare's rate-limiting binding):
 * a counter per key and location, fixed in the deployment's configuration.
 */
export interface CoarseLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A time-series store for metrics (Workers Analytics Engine): one data point per event. */
export interface MetricsDataset {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Operability services a runtime may offer; where one is absent the caller falls back (docs/operability.md). */
export interface OperabilityPort {
  coarseLimiter(name: string): CoarseLimiter | undefined;
  metricsDataset(name: string): MetricsDataset | undefined;
}

export interface Clock {
  now(): Date;
}

/** Everything a request, queue batch, cron run or object gets from its runtime. */
export interface Runtime {
  /** Vars and secrets as given; each family parses its own part (workers/platform/config.ts). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly objects: ObjectsPort;
  readonly queues: QueuesPort;
  readonly blobs: BlobsPort;
  readonly cache: HttpCache;
  readonly clock: Clock;
  /** Coarse rate limiters and the metrics store, where the runtime has them. */
  readonly operability?: OperabilityPort;
  /** Work that may finish after the response (or the batch) is sent. */
  waitUntil(promise: Promise<unknown>): void;
}

export const systemClock: Clock = { now: () => new Date() };
