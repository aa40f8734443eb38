/**
 * The full reindex: rebuilds the projection from the catalogue's snapshots,
 * page by page, refreshes stock no inventory event has reported yet, turns
 * rows of products the catalogue no longer has into tombstones, and makes the
 * lexicon exactly the words of the active products. Events keep flowing
 * meanwhile; the version guard settles every race between the two writers.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import { loadProductSnapshots } from "../products/index.ts";
import { toDocumentRow } from "./documents.ts";
import { seedAvailability, upsertDocuments } from "./indexer.ts";

export interface ReindexResult {
  products: number;
  written: number;
  pages: number;
  tombstoned: number;
  wordsAdded: number;
  wordsRemoved: number;
  [key: string]: unknown;
}

const PAGE_SIZE = 250;

export async function reindexAll(db: Database, runId: string, pageSize = PAGE_SIZE): Promise<ReindexResult> {
  const started = (await db.execute<{ now: string }>(sql`select clock_timestamp()::text as now`)).rows[0]!.now;
  const result: ReindexResult = { products: 0, written: 0, pages: 0, tombstoned: 0, wordsAdded: 0, wordsRemoved: 0 };
  let afterId: string | null = null;
  do {
    const page = await loadProductSnapshots(db, { afterId, limit: pageSize });
    if (page.items.length > 0) {
      await seedAvailability(
        db,
        page.items.flatMap((p) => p.variants.map((v) => v.sku)),
      );
      const written = await upsertDocuments(db, page.items.map(toDocumentRow), runId);
      result.products += page.items.length;
      result.written += written.length;
      result.pages++;
    }
    afterId = page.nextAfterId;
  } while (afterId);

  // A row this run did not write, and no event wrote since it began, is a product the catalogue no longer has.
  const tombstoned = await db.execute(sql`
    update search.documents set status = 'deleted', in_stock = false, indexed_at = now()
    where status <> 'deleted' and reindex_run is distinct from ${runId} and indexed_at < ${started}::timestamptz
    returning product_id`);
  result.tombstoned = tombstoned.rows.length;

  const words = await db.execute<{ added: number; removed: number }>(sql`
    with live as materialized (
      select distinct w.word from search.documents d
        cross join lateral search.lexicon_words(concat_ws(' ', d.name, d.brand_name, d.category_name, d.description)) as w(word)
      where d.status = 'active'
    ),
    removed as (delete from search.lexicon l where not exists (select 1 from live where live.word = l.word) returning 1),
    added as (insert into search.lexicon (word) select word from live order by word on conflict do nothing returning 1)
    select (select count(*) from added)::int as added, (select count(*) from removed)::int as removed`);
  result.wordsAdded = words.rows[0]!.added;
  result.wordsRemoved = words.rows[0]!.removed;
  return result;
}

export const searchReindex: Job = {
  name: "search-reindex",
  description: "Rebuild the search projection from the catalogue (products, stock not yet reported by events, lexicon)",
  crons: ["17 3 * * *"],
  timeoutMs: 14 * 60_000,
  announceSuccess: true,
  run: ({ db, runId }) => reindexAll(db, runId),
};
