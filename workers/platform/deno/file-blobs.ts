/**
 * Blobs on the filesystem: the subset of R2 the families use (put, get,
 * head, delete, list with prefix and cursor), one folder per bucket, each
 * object a data file and a metadata file beside it. For one server process;
 * production on Deno points the blob port at an S3-compatible store instead.
 */
import type { BlobStore } from "../runtime.ts";
import { assembledUpload, bodyOf } from "./assembled-upload.ts";
import { type DenoApi, deno } from "./deno-api.ts";

interface Meta {
  key: string;
  size: number;
  uploaded: string;
  etag: string;
  httpMetadata: R2HTTPMetadata;
  customMetadata: Record<string, string>;
}

const fileName = (key: string) => encodeURIComponent(key).replaceAll(".", "%2E");

function objectOf(meta: Meta): R2Object {
  return {
    key: meta.key,
    version: meta.etag,
    size: meta.size,
    etag: meta.etag,
    httpEtag: `"${meta.etag}"`,
    uploaded: new Date(meta.uploaded),
    httpMetadata: meta.httpMetadata,
    customMetadata: meta.customMetadata,
    checksums: { toJSON: () => ({}) },
    storageClass: "Standard",
    writeHttpMetadata(headers: Headers) {
      if (meta.httpMetadata.contentType) headers.set("content-type", meta.httpMetadata.contentType);
      if (meta.httpMetadata.cacheControl) headers.set("cache-control", meta.httpMetadata.cacheControl);
    },
  } as unknown as R2Object;
}

async function readMeta(api: DenoApi, path: string): Promise<Meta | null> {
  try {
    return JSON.parse(await api.readTextFile(`${path}.meta.json`)) as Meta;
  } catch (err) {
    if (err instanceof api.errors.NotFound) return null;
    throw err;
  }
}

export function fileBucket(dir: string): BlobStore {
  const api = deno();
  const ready = api.mkdir(dir, { recursive: true });
  const pathOf = (key: string) => `${dir}/${fileName(key)}`;
  const store = {
    async put(key: string, value: unknown, options?: R2PutOptions) {
      await ready;
      const bytes = new Uint8Array(await new Response(value as BodyInit | null).arrayBuffer());
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const meta: Meta = {
        key,
        size: bytes.byteLength,
        uploaded: new Date().toISOString(),
        etag: [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join(""),
        httpMetadata: (options?.httpMetadata ?? {}) as R2HTTPMetadata,
        customMetadata: options?.customMetadata ?? {},
      };
      await api.writeFile(`${pathOf(key)}.data`, bytes);
      await api.writeTextFile(`${pathOf(key)}.meta.json`, JSON.stringify(meta));
      return objectOf(meta);
    },
    async get(key: string) {
      await ready;
      const meta = await readMeta(api, pathOf(key));
      return meta ? bodyOf(objectOf(meta), await api.readFile(`${pathOf(key)}.data`)) : null;
    },
    async head(key: string) {
      await ready;
      const meta = await readMeta(api, pathOf(key));
      return meta ? objectOf(meta) : null;
    },
    async delete(keys: string | string[]) {
      await ready;
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        for (const suffix of [".data", ".meta.json"]) await api.remove(`${pathOf(key)}${suffix}`).catch(() => undefined);
      }
    },
    async list(options?: R2ListOptions) {
      await ready;
      const keys: string[] = [];
      for await (const entry of api.readDir(dir)) {
        if (entry.isFile && entry.name.endsWith(".meta.json")) keys.push(decodeURIComponent(entry.name.slice(0, -".meta.json".length)));
      }
      const prefix = options?.prefix ?? "";
      const after = options?.cursor ?? options?.startAfter ?? "";
      const limit = Math.min(options?.limit ?? 1000, 1000);
      const matching = keys.filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = matching.slice(0, limit);
      const metas = await Promise.all(page.map((k) => readMeta(api, pathOf(k))));
      const objects = metas.filter((m): m is Meta => m !== null).map(objectOf);
      const truncated = matching.length > limit;
      return { objects, delimitedPrefixes: [], ...(truncated ? { truncated, cursor: page[page.length - 1] } : { truncated }) };
    },
    createMultipartUpload(key: string, options?: R2MultipartOptions) {
      return Promise.resolve(assembledUpload(key, (bytes) => store.put(key, bytes, options)));
    },
  };
  return store as unknown as BlobStore;
}
