/**
 * The Deno adapter of the ports: objects and queues on Deno KV, blobs on
 * the filesystem, the Cache API with explicit expiry. The Deno entry
 * (workers/deno.ts) builds one Runtime per process; vars come from the
 * process environment.
 */
import { type BlobStore, type Runtime, systemClock } from "../runtime.ts";
import { fileBucket } from "./file-blobs.ts";
import { expiringCache } from "./http-cache.ts";
import { s3Bucket } from "./s3-blobs.ts";

export interface DenoRuntimeParts {
  vars: Record<string, unknown>;
  objects: Runtime["objects"];
  queues: Runtime["queues"];
  /** The folder that holds one sub-folder per bucket. */
  blobsDir: string;
}

export function denoRuntime(parts: DenoRuntimeParts): Runtime {
  const buckets = new Map<string, BlobStore>();
  const pending = new Set<Promise<unknown>>();
  return {
    vars: parts.vars,
    objects: parts.objects,
    queues: parts.queues,
    blobs: {
      bucket(name) {
        let bucket = buckets.get(name);
        if (!bucket) {
          bucket = blobStoreOf(parts, name);
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

/**
 * A bucket binding's store: an S3-compatible bucket when `S3_ENDPOINT` is
 * set (named `S3_BUCKET_PREFIX` + the binding in lower case, by default the
 * bucket names of wrangler.toml), else a folder under the blobs directory.
 */
function blobStoreOf(parts: DenoRuntimeParts, name: string): BlobStore {
  const v = (key: string) => (typeof parts.vars[key] === "string" ? (parts.vars[key] as string) : "");
  if (!v("S3_ENDPOINT")) return fileBucket(`${parts.blobsDir}/${name.toLowerCase()}`);
  const settings = {
    endpoint: v("S3_ENDPOINT"),
    region: v("S3_REGION") || "auto",
    accessKeyId: v("S3_ACCESS_KEY_ID"),
    secretAccessKey: v("S3_SECRET_ACCESS_KEY"),
  };
  return s3Bucket(settings, `${v("S3_BUCKET_PREFIX") || "edge-commerce-"}${name.toLowerCase()}`);
}
