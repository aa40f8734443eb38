/**
 * Table state kept in the URL's query string, so a view can be bookmarked and
 * shared: filters, sort and the page cursor. Defaults are left out of the URL.
 */

export type TableState = Record<string, string>;

/** The state a query string names, over `defaults` (unknown keys are ignored). */
export function readState(search: string, defaults: TableState): TableState {
  const params = new URLSearchParams(search);
  const state: TableState = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = params.get(key);
    if (value !== null) state[key] = value;
  }
  return state;
}

/** The query string of `state`, without the keys that equal their default or are empty; keys in a stable order. */
export function writeState(state: TableState, defaults: TableState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(state).sort()) {
    const value = state[key];
    if (value !== undefined && value !== "" && value !== defaults[key]) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A change of filter or sort starts again at the first page; moving pages keeps the rest. */
export function changeState(state: TableState, change: TableState): TableState {
  const paging = Object.keys(change).every((k) => k === "cursor");
  return { ...state, ...(paging ? {} : { cursor: "" }), ...change };
}

/** The next sort of a column header click: a new column sorts ascending, the same column flips. */
export function nextSort(current: string, column: string): string {
  const [col, dir] = current.split(":");
  if (col !== column) return `${column}:asc`;
  return `${column}:${dir === "asc" ? "desc" : "asc"}`;
}

/** Sorts rows in place order by a `column:direction` string, numbers as numbers and text by the locale. */
export function sortRows<T>(rows: readonly T[], sort: string, read: (row: T, column: string) => unknown): T[] {
  const [column, dir] = sort.split(":");
  if (!column) return [...rows];
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = read(a, column);
    const y = read(b, column);
    if (typeof x === "number" && typeof y === "number") return (x - y) * sign;
    return String(x ?? "").localeCompare(String(y ?? "")) * sign;
  });
}
