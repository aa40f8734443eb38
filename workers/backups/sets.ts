/**
 * Reading backup sets back from R2: the manifest of a set (refused when the
 * set never completed or its manifest does not add up), and its parts
 * decoded line by line with every part's SHA-256 checked first.
 */
import { ApiError } from "../platform/errors.ts";
import type { BlobStore, Runtime } from "../platform/runtime.ts";
import { backupKey, decodePart } from "./codec.ts";
import { backupsConfig } from "./config.ts";
import { BackupErrors } from "./errors.ts";
import { chainOf, resolveTables } from "./incremental.ts";
import { type Manifest, manifestKey, manifestProblems, type PartRef } from "./manifest.ts";
import { readPart } from "./part-writer.ts";

export const BACKUPS_BUCKET = "BACKUPS";

export const backupsBucket = (rt: Pick<Runtime, "blobs">): BlobStore => rt.blobs.bucket(BACKUPS_BUCKET);

export async function readManifest(rt: Pick<Runtime, "blobs">, id: string): Promise<Manifest | null> {
  const obj = await backupsBucket(rt).get(manifestKey(id));
  if (!obj) return null;
  return JSON.parse(await obj.text()) as Manifest;
}

/** One set's own manifest: complete, and adding up; anything else is refused. */
async function checkedManifest(rt: Pick<Runtime, "blobs">, id: string, of?: string): Promise<Manifest> {
  const chain = of ? ` (a set of the chain of ${of}: that chain is broken)` : "";
  const m = await readManifest(rt, id);
  if (!m) throw new ApiError(BackupErrors.BACKUP_INCOMPLETE, `backup ${id} has no complete manifest: it did not finish${chain}`);
  const problems = await manifestProblems(m);
  if (problems.length > 0) throw new ApiError(BackupErrors.BACKUP_CORRUPT, `${problems.join("; ")}${chain}`, { problems });
  return m;
}

/**
 * The manifest of a set that may be restored, as a restore loads it: for an increment, every set of its chain
 * back to the full must be there, complete and adding up (else it is refused), and its tables are resolved to
 * the parts of the chain (incremental.ts). The objects and sequences are the increment's own.
 */
export async function usableManifest(rt: Pick<Runtime, "blobs">, id: string): Promise<Manifest> {
  const m = await checkedManifest(rt, id);
  if (m.kind !== "incremental") return m;
  const chain = await chainOf(m, (baseId) => checkedManifest(rt, baseId, id));
  try {
    return { ...m, tables: resolveTables(chain) };
  } catch (err) {
    throw new ApiError(BackupErrors.BACKUP_CORRUPT, `the chain of ${id} does not resolve: ${(err as Error).message}`);
  }
}

export async function setKey(rt: Pick<Runtime, "vars">): Promise<CryptoKey | null> {
  const secret = backupsConfig.read(rt).BACKUP_ENCRYPTION_KEY;
  return secret ? backupKey(secret) : null;
}

/** A part's NDJSON lines, after its bytes matched the manifest; a short or long part is corrupt too. */
export async function partLines(store: BlobStore, part: PartRef, key: CryptoKey | null): Promise<string[]> {
  const lines = await decodePart(await readPart(store, part), key);
  if (lines.length !== part.rows) throw new Error(`${part.key}: ${lines.length} rows, the manifest says ${part.rows}`);
  return lines;
}

export interface SetListing {
  id: string;
  startedAt: Date;
  complete: boolean;
  setSha256: string | null;
  /** An increment: the full its chain starts from; null: a full set. */
  full: string | null;
}

/** `bk_20261203T141521_…`: the start time is in the id, so sets sort and age without reading them. */
export function startedAtOf(id: string): Date | null {
  const m = /^bk_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})_/.exec(id);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

/** Every set in the bucket, newest first, read from R2 itself (it outlives the database it backs up). */
export async function listSets(rt: Pick<Runtime, "blobs">): Promise<SetListing[]> {
  const store = backupsBucket(rt);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ prefix: "sets/", delimiter: "/", cursor });
    ids.push(...page.delimitedPrefixes.map((p) => p.slice("sets/".length, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const sets = await Promise.all(
    ids.map(async (id): Promise<SetListing | null> => {
      const startedAt = startedAtOf(id);
      if (!startedAt) return null;
      const head = await store.head(`sets/${id}/manifest.json`);
      const meta = head?.customMetadata;
      return { id, startedAt, complete: meta?.complete === "true", setSha256: meta?.setSha256 ?? null, full: meta?.full ?? null };
    }),
  );
  return sets.filter((s): s is SetListing => s !== null).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}

/** Deletes every object of a set, a listing page at a time. */
export async function deleteSet(rt: Pick<Runtime, "blobs">, id: string): Promise<number> {
  const store = backupsBucket(rt);
  let deleted = 0;
  for (;;) {
    const page = await store.list({ prefix: `sets/${id}/`, limit: 1000 });
    if (page.objects.length === 0) return deleted;
    await store.delete(page.objects.map((o) => o.key));
    deleted += page.objects.length;
  }
}
