/** Multi-row INSERTs over node-postgres, so a seed costs a few dozen round trips instead of one per row. */
import type pg from "pg";

/** Rows per INSERT: well under Postgres's 65,535 bind parameters for the widest table (12 columns). */
const BATCH_ROWS = 200;

/** One multi-row INSERT per batch; returns how many rows were actually inserted. */
export async function insertRows(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
  suffix: string,
  onBatch: (done: number) => void,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(", ")})`);
    const result = await client.query(`insert into ${table} (${columns.join(", ")}) values ${tuples.join(", ")} ${suffix}`, params);
    inserted += result.rowCount ?? 0;
    onBatch(i + batch.length);
  }
  return inserted;
}
