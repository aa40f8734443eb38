/**
 * Writes one stream of NDJSON lines (a table's rows, one kind of object's
 * snapshots) to R2 as numbered parts of bounded size: lines gather until
 * the part reaches its byte budget, then the part is compressed, maybe
 * sealed, hashed and stored, and its memory released. However large the
 * table, a writer holds at most one part.
 */
import type { BlobStore } from "../platform/runtime.ts";
import { encodePart, sha256Hex } from "./codec.ts";
import type { PartRef } from "./manifest.ts";

export interface PartSink {
  store: BlobStore;
  key: CryptoKey | null;
  partBytes: number;
  /** Told after each stored part (the progress board). */
  onPart(part: PartRef): Promise<void>;
}

export class PartWriter {
  private lines: string[] = [];
  private size = 0;
  private readonly parts: PartRef[] = [];
  rows = 0;

  constructor(
    private readonly sink: PartSink,
    /** The key prefix of the parts, e.g. `sets/<id>/pg/orders.orders/`. */
    private readonly prefix: string,
  ) {}

  async add(line: string): Promise<void> {
    this.lines.push(line);
    // Characters, not bytes: close enough for a budget, and free.
    this.size += line.length + 1;
    this.rows++;
    if (this.size >= this.sink.partBytes) await this.flush();
  }

  /** Stores what is left and answers every part written. */
  async finish(): Promise<PartRef[]> {
    await this.flush();
    return this.parts;
  }

  private async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = `${this.lines.join("\n")}\n`;
    const rows = this.lines.length;
    this.lines = [];
    this.size = 0;
    const bytes = await encodePart(text, this.sink.key);
    const key = `${this.prefix}${String(this.parts.length).padStart(5, "0")}.ndjson.gz${this.sink.key ? ".aes" : ""}`;
    const sha256 = await sha256Hex(bytes);
    await this.sink.store.put(key, bytes, {
      httpMetadata: { contentType: this.sink.key ? "application/octet-stream" : "application/gzip" },
      customMetadata: { sha256, rows: String(rows) },
    });
    const part = { key, sha256, bytes: bytes.length, rows };
    this.parts.push(part);
    await this.sink.onPart(part);
  }
}

/** Reads a part back, checking its bytes against the manifest's SHA-256 before anything is decoded. */
export async function readPart(store: BlobStore, part: PartRef): Promise<Uint8Array> {
  const obj = await store.get(part.key);
  if (!obj) throw new PartCorrupt(`${part.key} is missing`);
  const bytes = new Uint8Array(await obj.arrayBuffer());
  const sha = await sha256Hex(bytes);
  if (sha !== part.sha256) throw new PartCorrupt(`${part.key}: SHA-256 ${sha} does not match the manifest's ${part.sha256}`);
  return bytes;
}

export class PartCorrupt extends Error {
  override name = "PartCorrupt";
}
