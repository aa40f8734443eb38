/**
 * The order a restore refills tables in: a table that others reference by
 * foreign key comes before them (a topological sort), ties by name, so the
 * same schema always gives the same order.
 */
export interface TableRef {
  schema: string;
  table: string;
}

const name = (t: TableRef) => `${t.schema}.${t.table}`;

/** `references`: child `schema.table` to the parents it points at. A cycle is broken at the cyclic tables, by name. */
export function restoreOrder<T extends TableRef>(tables: readonly T[], references: ReadonlyMap<string, readonly string[]>): T[] {
  const byName = new Map(tables.map((t) => [name(t), t]));
  const sorted = [...byName.keys()].sort();
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (n: string) => {
    if (done.has(n) || visiting.has(n)) return;
    visiting.add(n);
    for (const parent of [...(references.get(n) ?? [])].sort()) if (parent !== n && byName.has(parent)) visit(parent);
    visiting.delete(n);
    done.add(n);
    out.push(byName.get(n)!);
  };
  for (const n of sorted) visit(n);
  return out;
}
