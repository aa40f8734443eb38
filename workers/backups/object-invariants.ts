/**
 * The stock ledger's invariant, checked on a SKU's snapshot as a backup
 * holds it: walking the ledger from zero, every movement's deltas give the
 * running level it recorded, the last one is the level the SKU stands at,
 * and what is reserved is exactly what the live holds hold.
 */
import type { ObjectSnapshot } from "../platform/cloudflare/object-snapshot.ts";

type Row = Record<string, unknown>;

function rowsOf(s: ObjectSnapshot, table: string): Row[] {
  const t = s.tables[table];
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

/** What is wrong with one SKU's snapshot (empty: the ledger adds up). */
export function stockLedgerProblems(sku: string, s: ObjectSnapshot): string[] {
  const stock = rowsOf(s, "stock")[0];
  if (!stock) return rowsOf(s, "ledger").length > 0 ? [`${sku}: a ledger without a stock level`] : [];
  const state = JSON.parse(String(stock.state)) as { onHand: number; reserved: number };
  const problems: string[] = [];
  let onHand = 0;
  let reserved = 0;
  const ledger = rowsOf(s, "ledger").sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const m of ledger) {
    onHand += Number(m.on_hand_delta);
    reserved += Number(m.reserved_delta);
    if (onHand !== Number(m.on_hand) || reserved !== Number(m.reserved)) {
      problems.push(
        `${sku}: movement ${String(m.seq)} records ${String(m.on_hand)}/${String(m.reserved)}, the deltas give ${onHand}/${reserved}`,
      );
      break;
    }
  }
  if (onHand !== state.onHand || reserved !== state.reserved)
    problems.push(
      `${sku}: the ledger adds up to ${onHand} on hand, ${reserved} reserved; the level says ${state.onHand}, ${state.reserved}`,
    );
  const held = rowsOf(s, "holds")
    .filter((h) => h.status === "held" || h.status === "pinned")
    .reduce((n, h) => n + Number(h.quantity), 0);
  if (held !== state.reserved) problems.push(`${sku}: live holds hold ${held}, the level reserves ${state.reserved}`);
  return problems;
}
