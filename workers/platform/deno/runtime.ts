/**
 * The Deno adapter of the ports: objects and queues on Deno KV, blobs on
 * the filesystem, the Cache API with explicit expiry. The Deno entry
 * (workers/deno.ts) builds one Runtime per process; vars come from the
 * process environment.
 */
import { type Runtime, systemClock } from "../runtime.ts";
import { fileBucket } from "./file-blobs.ts";
import { expiringCache } from "./http-cache.ts";

export interface DenoRuntimeParts {
  vars: Record<string, unknown>;
  objects: Runtime["objects"];
  queues: Runtime["queues"];
  /** The folder that holds one sub-folder per bucket. */
  blobsDir: string;
}

export function denoRuntime(parts: DenoRuntimeParts): Runtime {
  const buckets = new Map<string, ReturnType<typeof fileBucket>>();
  const pending = new Set<Promise<unknown>>();
  return {
    vars: parts.vars,
    objects: parts.objects,
    queues: parts.queues,
    blobs: {
      bucket(name) {
        let bucket = buckets.get(name);
        if (!bucket) {
          bucket = fileBucket(`${parts.blobsDir}/${name.toLowerCase()}`);
          buckets.set(name, bucket);
        }
        return bucket;
      },
    },
    cache: expiringCache(() => caches.open("edge")),
    clock: systemClock,
    waitUntil(promise) {
      // A server process outlives its responses: the work runs on; a failure is logged by whoever made the promise.
      pending.add(promise);
      void promise.catch(() => undefined).finally(() => pending.delete(promise));
    },
  };
}
