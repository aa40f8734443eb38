/**
 * What every report is before it becomes a file: a title, a period, a
 * currency, and sections of typed columns whose rows arrive page by page (so
 * a large section is written as it is read, never held whole). The three
 * writers (formats/) take this one shape.
 */

/**
 * How a cell is typed in a spreadsheet and shown in a document. Money is in
 * minor units of the report's currency; a decimal is a plain number with a
 * fraction (hours, averages), written in the spreadsheet's general format.
 */
export type CellType = "text" | "integer" | "decimal" | "money" | "rate" | "date";
export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Column {
  key: string;
  label: string;
  type: CellType;
}

export interface Chart {
  /** The column whose values label the bars (e.g. the day). */
  label: string;
  /** The numeric column the bars show. */
  value: string;
  title: string;
}

export interface Section {
  title: string;
  columns: Column[];
  /** Pages of rows, in order; a writer consumes each page before asking for the next. */
  pages(): AsyncIterable<Row[]>;
  chart?: Chart;
}

export interface Report {
  shopName: string;
  title: string;
  /** `from` inclusive, `to` exclusive. */
  period: { from: Date; to: Date };
  currency: string | null;
  generatedAt: Date;
  sections: Section[];
}

/** A section over rows already in memory (aggregates: a few hundred rows at most). */
export function sectionOf(title: string, columns: Column[], rows: Row[], chart?: Chart): Section {
  return {
    title,
    columns,
    async *pages() {
      yield rows;
    },
    ...(chart ? { chart } : {}),
  };
}

/** The digits after the decimal point of a currency (2 for USD, 0 for JPY; 2 for codes Intl does not know). */
export function fractionDigits(currency: string | null): number {
  if (!currency) return 2;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A money amount in minor units as a number of major units (1999 → 19.99). */
export const major = (minor: number, digits: number) => minor / 10 ** digits;

/** A column's heading in a file: money names its currency. */
export const headerLabel = (c: Column, currency: string | null) => (c.type === "money" && currency ? `${c.label} (${currency})` : c.label);

/** Where a writer sends its bytes, chunk by chunk. */
export type Sink = (chunk: Uint8Array) => void;

/** A sink that keeps the chunks, and the file they make. */
export function collector(): { sink: Sink; bytes(): Uint8Array; size(): number } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    sink: (c) => {
      chunks.push(c);
      size += c.byteLength;
    },
    size: () => size,
    bytes() {
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      chunks.length = 0;
      chunks.push(out);
      return out;
    },
  };
}
