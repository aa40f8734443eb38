/**
 * Blobs on any S3-compatible store (AWS S3, Cloudflare R2's S3 API, MinIO,
 * Backblaze B2, ...), for Deno in production: the subset of R2 the families
 * use (put, get, head, delete, list with prefix and cursor, HTTP and custom
 * metadata), each request signed with AWS Signature V4 by aws4fetch.
 * Path-style addresses (`<endpoint>/<bucket>/<key>`), which every
 * S3-compatible store accepts. Custom metadata travels as `x-amz-meta-*`
 * headers; a listing asks each object's head only when `include` wants its
 * metadata. A multipart upload is assembled in memory and stored with one
 * put (one PUT takes up to 5 GiB), so its size is bounded by memory.
 */
import { AwsClient } from "aws4fetch";
import type { BlobStore } from "../runtime.ts";
import { assembledUpload, bodyOf } from "./assembled-upload.ts";

export interface S3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const META = "x-amz-meta-";

function objectOf(key: string, headers: Headers): R2Object {
  const etag = (headers.get("etag") ?? "").replaceAll('"', "");
  const customMetadata: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith(META)) customMetadata[name.slice(META.length)] = value;
  });
  const httpMetadata: R2HTTPMetadata = {};
  if (headers.get("content-type")) httpMetadata.contentType = headers.get("content-type") ?? undefined;
  if (headers.get("cache-control")) httpMetadata.cacheControl = headers.get("cache-control") ?? undefined;
  return {
    key,
    version: etag,
    size: Number(headers.get("content-length") ?? 0),
    etag,
    httpEtag: `"${etag}"`,
    uploaded: new Date(headers.get("last-modified") ?? Date.now()),
    httpMetadata,
    customMetadata,
    checksums: { toJSON: () => ({}) },
    storageClass: "Standard",
    writeHttpMetadata(target: Headers) {
      if (httpMetadata.contentType) target.set("content-type", httpMetadata.contentType);
      if (httpMetadata.cacheControl) target.set("cache-control", httpMetadata.cacheControl);
    },
  } as unknown as R2Object;
}

const xmlValues = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => unescapeXml(m[1] ?? ""));
const unescapeXml = (s: string) =>
  s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&");

export function s3Bucket(settings: S3Settings, bucket: string): BlobStore {
  const aws = new AwsClient({ ...settings, service: "s3" });
  const base = `${settings.endpoint.replace(/\/$/, "")}/${bucket}`;
  const urlOf = (key: string) => `${base}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const send = async (url: string, init: RequestInit, ok: (status: number) => boolean) => {
    const res = await aws.fetch(url, init);
    if (!ok(res.status))
      throw new Error(`S3 ${init.method ?? "GET"} ${bucket} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return res;
  };

  const store = {
    async put(key: string, value: unknown, options?: R2PutOptions) {
      const bytes = new Uint8Array(await new Response(value as BodyInit | null).arrayBuffer());
      const headers = new Headers();
      const http = (options?.httpMetadata ?? {}) as R2HTTPMetadata;
      if (http.contentType) headers.set("content-type", http.contentType);
      if (http.cacheControl) headers.set("cache-control", http.cacheControl);
      for (const [k, v] of Object.entries(options?.customMetadata ?? {})) headers.set(`${META}${k.toLowerCase()}`, v);
      const res = await send(urlOf(key), { method: "PUT", headers, body: bytes }, (s) => s === 200);
      await res.body?.cancel();
      headers.set("etag", res.headers.get("etag") ?? "");
      headers.set("content-length", String(bytes.byteLength));
      return objectOf(key, headers);
    },
    async get(key: string) {
      const res = await send(urlOf(key), { method: "GET" }, (s) => s === 200 || s === 404);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      return bodyOf(objectOf(key, res.headers), new Uint8Array(await res.arrayBuffer()));
    },
    async head(key: string) {
      const res = await send(urlOf(key), { method: "HEAD" }, (s) => s === 200 || s === 404);
      return res.status === 404 ? null : objectOf(key, res.headers);
    },
    async delete(keys: string | string[]) {
      await Promise.all(
        (Array.isArray(keys) ? keys : [keys]).map(async (key) => {
          const res = await send(urlOf(key), { method: "DELETE" }, (s) => s === 204 || s === 200 || s === 404);
          await res.body?.cancel();
        }),
      );
    },
    async list(options?: R2ListOptions & { include?: string[] }) {
      const query = new URLSearchParams({ "list-type": "2", "max-keys": String(Math.min(options?.limit ?? 1000, 1000)) });
      if (options?.prefix) query.set("prefix", options.prefix);
      if (options?.cursor) query.set("continuation-token", options.cursor);
      else if (options?.startAfter) query.set("start-after", options.startAfter);
      const xml = await (await send(`${base}?${query}`, { method: "GET" }, (s) => s === 200)).text();
      const entries = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map((m) => m[1] ?? "");
      const wantsMeta = (options?.include ?? []).length > 0;
      const objects = await Promise.all(
        entries.map(async (entry) => {
          const key = xmlValues(entry, "Key")[0] ?? "";
          if (wantsMeta) return (await store.head(key)) as R2Object;
          const headers = new Headers({
            etag: xmlValues(entry, "ETag")[0] ?? "",
            "content-length": xmlValues(entry, "Size")[0] ?? "0",
            "last-modified": xmlValues(entry, "LastModified")[0] ?? "",
          });
          return objectOf(key, headers);
        }),
      );
      const truncated = xmlValues(xml, "IsTruncated")[0] === "true";
      const next = xmlValues(xml, "NextContinuationToken")[0];
      return { objects, delimitedPrefixes: [], ...(truncated && next ? { truncated, cursor: next } : { truncated: false }) };
    },
    createMultipartUpload(key: string, options?: R2MultipartOptions) {
      return Promise.resolve(assembledUpload(key, (bytes) => store.put(key, bytes, options)));
    },
  };
  return store as unknown as BlobStore;
}
