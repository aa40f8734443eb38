/**
 * The stock ledger's invariant, checked on a SKU's snapshot as a backup
 * holds it: walking the ledger from zero, every movement's deltas give the
 * running level it recorded, the last one is the level the SKU stands at,
 * and what is reserved is exactly what the live holds hold.
 *
 * A long ledger comes in pages (object-export.ts): the walk keeps only its
 * running sums between pages, so checking a SKU never holds its whole ledger.
 */
import type { ObjectSnapshot } from "../platform/cloudflare/object-snapshot.ts";

type Row = Record<string, unknown>;

function rowsOf(s: ObjectSnapshot, table: string): Row[] {
  const t = s.tables[table];
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

/** One SKU's walk: `start` with its first page, `add` each later page in order, then `finish`. */
export class LedgerWalk {
  private onHand = 0;
  private reserved = 0;
  private lastSeq = 0;
  private movements = 0;
  private readonly problems: string[] = [];
  private readonly level: { onHand: number; reserved: number } | null;
  private readonly held: number;

  constructor(
    private readonly sku: string,
    first: ObjectSnapshot,
  ) {
    const stock = rowsOf(first, "stock")[0];
    this.level = stock ? (JSON.parse(String(stock.state)) as { onHand: number; reserved: number }) : null;
    this.held = rowsOf(first, "holds")
      .filter((h) => h.status === "held" || h.status === "pinned")
      .reduce((n, h) => n + Number(h.quantity), 0);
    this.add(first);
  }

  add(page: ObjectSnapshot): void {
    const ledger = rowsOf(page, "ledger").sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const m of ledger) {
      this.movements++;
      if (this.problems.length > 0) continue;
      if (Number(m.seq) <= this.lastSeq) {
        this.problems.push(`${this.sku}: movement ${String(m.seq)} comes after ${this.lastSeq} (a page out of order or repeated)`);
        continue;
      }
      this.lastSeq = Number(m.seq);
      this.onHand += Number(m.on_hand_delta);
      this.reserved += Number(m.reserved_delta);
      if (this.onHand !== Number(m.on_hand) || this.reserved !== Number(m.reserved))
        this.problems.push(
          `${this.sku}: movement ${String(m.seq)} records ${String(m.on_hand)}/${String(m.reserved)}, the deltas give ${this.onHand}/${this.reserved}`,
        );
    }
  }

  /** What is wrong with the SKU (empty: the ledger adds up). */
  finish(): string[] {
    const state = this.level;
    if (!state) return this.movements > 0 ? [`${this.sku}: a ledger without a stock level`] : [];
    const problems = [...this.problems];
    if (problems.length === 0 && (this.onHand !== state.onHand || this.reserved !== state.reserved))
      problems.push(
        `${this.sku}: the ledger adds up to ${this.onHand} on hand, ${this.reserved} reserved; the level says ${state.onHand}, ${state.reserved}`,
      );
    if (this.held !== state.reserved) problems.push(`${this.sku}: live holds hold ${this.held}, the level reserves ${state.reserved}`);
    return problems;
  }
}

/** What is wrong with one SKU's whole snapshot (empty: the ledger adds up). */
export function stockLedgerProblems(sku: string, s: ObjectSnapshot): string[] {
  return new LedgerWalk(sku, s).finish();
}
