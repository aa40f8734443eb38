/**
 * A report file goes to R2 as it is written: the writer's chunks fill a
 * part of `partBytes` (R2 wants every part but the last of one size, 5 MiB
 * at least), each full part is uploaded while the writer goes on, and the
 * SHA-256 is computed incrementally over every byte. So a run holds one part
 * being filled plus the parts in flight, never the file: `drain()` (called
 * between pages of rows) waits for the parts in flight, which bounds them.
 *
 * A file smaller than one part is stored with one `put`, carrying its row
 * count and SHA-256 in the object's metadata like before. A multipart
 * object's metadata is fixed when the upload starts, before its checksum and
 * row count are known: for those two, the run's record is the reference.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { BlobStore } from "../../platform/runtime.ts";
import type { Sink } from "./report-model.ts";

export const PART_BYTES = 5 * 1024 * 1024;

export interface StoredFile {
  bytes: number;
  sha256: string;
  /** 0 for a file stored with one put. */
  parts: number;
}

export interface FileUpload {
  sink: Sink;
  /** Waits for the parts handed to the store so far; throws the first failed upload. */
  drain(): Promise<void>;
  /** Stores what is left; `late` is metadata known only now (row count), for a file stored with one put. */
  finish(late: Record<string, string>): Promise<StoredFile>;
  /** Gives up a multipart upload (its parts are deleted by R2). */
  abort(): Promise<void>;
}

export function fileUpload(
  bucket: Pick<BlobStore, "put" | "createMultipartUpload">,
  key: string,
  meta: { contentType: string; customMetadata: Record<string, string> },
  partBytes = PART_BYTES,
): FileUpload {
  const hash = sha256.create();
  let part = new Uint8Array(partBytes);
  let filled = 0;
  let size = 0;
  let upload: Promise<R2MultipartUpload> | null = null;
  let inFlight: Promise<R2UploadedPart>[] = [];
  const uploaded: R2UploadedPart[] = [];
  let parts = 0;

  const send = (bytes: Uint8Array) => {
    upload ??= bucket.createMultipartUpload(key, { httpMetadata: { contentType: meta.contentType }, customMetadata: meta.customMetadata });
    const n = ++parts;
    const sent = upload.then((u) => u.uploadPart(n, bytes));
    // Observed at the next drain; never an unhandled rejection meanwhile.
    sent.catch(() => undefined);
    inFlight.push(sent);
  };
  const drain = async () => {
    const waiting = inFlight;
    inFlight = [];
    uploaded.push(...(await Promise.all(waiting)));
  };

  return {
    sink(chunk) {
      hash.update(chunk);
      size += chunk.byteLength;
      for (let at = 0; at < chunk.byteLength; ) {
        const take = Math.min(partBytes - filled, chunk.byteLength - at);
        part.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === partBytes) {
          send(part);
          part = new Uint8Array(partBytes);
          filled = 0;
        }
      }
    },
    drain,
    async finish(late) {
      const digest = bytesToHex(hash.digest());
      if (!upload) {
        await bucket.put(key, part.subarray(0, filled), {
          httpMetadata: { contentType: meta.contentType },
          customMetadata: { ...meta.customMetadata, ...late, sha256: digest },
        });
        return { bytes: size, sha256: digest, parts: 0 };
      }
      if (filled > 0) send(part.slice(0, filled));
      await drain();
      await (await upload).complete(uploaded.sort((a, b) => a.partNumber - b.partNumber));
      return { bytes: size, sha256: digest, parts };
    },
    async abort() {
      if (!upload) return;
      await Promise.allSettled(inFlight);
      await (await upload).abort().catch(() => undefined);
    },
  };
}
