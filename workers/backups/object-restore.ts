/**
 * The Durable Object half of a restore: each object in scope gets its
 * snapshot back through the objects port, in bounded batches. Restoring a
 * whole kind also empties the objects the restored database names but the
 * backup did not hold (a cart filled after the backup), so no state newer
 * than the backup survives next to it.
 *
 * An object that travelled in pages gets its first page (which replaces its
 * state) with the other first pages of its part, then its later pages (which
 * add ledger rows) one call at a time, in order; objects apart still run in
 * bounded batches.
 */
import type { ObjectSnapshot } from "../platform/cloudflare/object-snapshot.ts";
import type { Database } from "../platform/db.ts";
import type { BlobStore, Runtime } from "../platform/runtime.ts";
import type { Manifest, ObjectKind } from "./manifest.ts";
import { isFirstPage, type ObjectFanOut, type ObjectLine, objectNames, pause, snapshotStub } from "./object-export.ts";
import type { Progress } from "./progress.ts";
import { partLines } from "./sets.ts";

export interface ObjectScope {
  kinds?: readonly ObjectKind[];
  /** Only these objects (for example one SKU); without it, every object of the kinds. */
  names?: readonly string[];
}

const EMPTY: ObjectSnapshot = { format: 1, tables: {}, kv: {} };

async function inBatches<T>(items: readonly T[], fanOut: Pick<ObjectFanOut, "batch" | "pauseMs">, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += fanOut.batch) {
    await Promise.all(items.slice(i, i + fanOut.batch).map(fn));
    await pause(fanOut.pauseMs);
  }
}

export async function restoreObjects(
  rt: Pick<Runtime, "objects">,
  db: Database,
  store: BlobStore,
  key: CryptoKey | null,
  m: Manifest,
  scope: ObjectScope,
  fanOut: Pick<ObjectFanOut, "batch" | "pauseMs">,
  progress: Progress,
): Promise<Record<string, { restored: number; emptied: number }>> {
  if (scope.names && scope.kinds?.length !== 1) throw new Error("naming objects takes exactly one kind");
  const wanted = scope.names ? new Set(scope.names) : null;
  const out: Record<string, { restored: number; emptied: number }> = {};
  const current = wanted ? null : await objectNames(db);
  for (const entry of m.objects) {
    if (scope.kinds && !scope.kinds.includes(entry.kind)) continue;
    const restoredNames = new Set<string>();
    for (const part of entry.parts) {
      const lines = (await partLines(store, part, key))
        .map((l) => JSON.parse(l) as ObjectLine)
        .filter((l) => !wanted || wanted.has(l.name));
      const firsts = lines.filter(isFirstPage);
      await inBatches(firsts, fanOut, (l) => snapshotStub(rt, entry.kind, l.name).importSnapshot(l.snapshot));
      const later = new Map<string, ObjectLine[]>();
      for (const l of lines) if (!isFirstPage(l)) later.set(l.name, [...(later.get(l.name) ?? []), l]);
      await inBatches([...later.entries()], fanOut, async ([name, pages]) => {
        if (!restoredNames.has(name) && !firsts.some((f) => f.name === name))
          throw new Error(`${entry.kind} ${name}: page ${String(pages[0]!.page)} comes without the object's first page`);
        const stub = snapshotStub(rt, entry.kind, name);
        if (!stub.appendSnapshotRows) throw new Error(`${entry.kind} objects have no later pages to take`);
        for (const p of pages) await stub.appendSnapshotRows(p.snapshot);
      });
      for (const l of firsts) restoredNames.add(l.name);
      await progress.add(firsts.length, part.bytes);
    }
    // Objects in scope the backup did not hold: they had no state then, so they have none now.
    const named: readonly string[] = wanted ? [...wanted] : kindNames(current!, entry.kind);
    const toEmpty = named.filter((n) => !restoredNames.has(n));
    await inBatches(toEmpty, fanOut, (n) => snapshotStub(rt, entry.kind, n).importSnapshot(EMPTY));
    out[entry.kind] = { restored: restoredNames.size, emptied: toEmpty.length };
  }
  return out;
}

function kindNames(names: { inventory: string[]; cart: string[] }, kind: ObjectKind): string[] {
  return kind === "reservation" ? [] : names[kind];
}
