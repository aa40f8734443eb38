/**
 * Report files stored as they are written, against the real R2 binding: a
 * file of several parts arrives whole (every byte, in order) with the
 * SHA-256 of what was written; a small file is one put with its metadata;
 * an upload given up leaves no object.
 */
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers/db.ts";
import { uid } from "../../products/test-fixtures.ts";
import { fileUpload, PART_BYTES } from "./file-upload.ts";

const bucket = () => testEnv.blobs.bucket("REPORTS");
const hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Deterministic bytes, handed over in chunks of uneven sizes (as writers do). */
function* chunks(total: number): Generator<Uint8Array> {
  let at = 0;
  for (let i = 1; at < total; i++) {
    const size = Math.min(total - at, ((i * 7919) % 300_000) + 1);
    yield Uint8Array.from({ length: size }, (_, k) => (at + k) % 251);
    at += size;
  }
}

describe("report file upload", () => {
  it("a file of several parts arrives whole, with the SHA-256 of every byte written", async () => {
    const key = `test/${uid()}/big.csv`;
    const total = 2 * PART_BYTES + 123_457;
    const upload = fileUpload(bucket(), key, { contentType: "text/csv", customMetadata: { definition: "order-lines" } });
    const written: Uint8Array[] = [];
    for (const c of chunks(total)) {
      upload.sink(c);
      written.push(c);
      if (written.length % 10 === 0) await upload.drain();
    }
    const stored = await upload.finish({ rowCount: "9" });
    const whole = new Uint8Array(total);
    let at = 0;
    for (const c of written) {
      whole.set(c, at);
      at += c.byteLength;
    }
    expect(stored).toEqual({ bytes: total, sha256: await hex(whole), parts: 3 });
    const object = await bucket().get(key);
    const back = new Uint8Array(await object!.arrayBuffer());
    expect(back.byteLength).toBe(total);
    expect(await hex(back)).toBe(stored.sha256);
    expect(object!.httpMetadata?.contentType).toBe("text/csv");
    expect(object!.customMetadata).toEqual({ definition: "order-lines" });
  });

  it("a file under one part is one put, with its row count and checksum in the metadata", async () => {
    const key = `test/${uid()}/small.csv`;
    const upload = fileUpload(bucket(), key, { contentType: "text/csv", customMetadata: { definition: "stock" } });
    const bytes = new TextEncoder().encode("SKU,Available\r\nA-1,3\r\n");
    upload.sink(bytes.subarray(0, 5));
    upload.sink(bytes.subarray(5));
    const stored = await upload.finish({ rowCount: "1" });
    expect(stored).toEqual({ bytes: bytes.byteLength, sha256: await hex(bytes), parts: 0 });
    const object = await bucket().get(key);
    expect(new TextDecoder().decode(await object!.arrayBuffer())).toBe("SKU,Available\r\nA-1,3\r\n");
    expect(object!.customMetadata).toEqual({ definition: "stock", rowCount: "1", sha256: stored.sha256 });
  });

  it("an upload given up half-way leaves no object", async () => {
    const key = `test/${uid()}/abandoned.xlsx`;
    const upload = fileUpload(bucket(), key, { contentType: "application/octet-stream", customMetadata: {} });
    for (const c of chunks(PART_BYTES + 10)) upload.sink(c);
    await upload.drain();
    await upload.abort();
    expect(await bucket().head(key)).toBeNull();
  });
});
