/** A table whose filters, sort and page cursor live in the URL, with sortable headers and cursor paging. */
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { changeState, nextSort, readState, type TableState, writeState } from "../lib/url-state.ts";

/** The URL's table state, and a setter that rewrites the query string (replace for paging, push for filters). */
export function useTableState(defaults: TableState): [TableState, (change: TableState) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const state = readState(search, defaults);
  const update = (change: TableState) => navigate(`${location}${writeState(changeState(state, change), defaults)}`);
  return [state, update];
}

/**
 * Whether the element is wider than its box. A table that scrolls sideways
 * becomes a focusable, named region so the keyboard can scroll it too; one
 * that fits adds no tab stop.
 */
function useScrollsSideways(): [RefObject<HTMLDivElement | null>, boolean] {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return [ref, scrolls];
}

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
}

export function DataTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: string;
  onSort?: (sort: string) => void;
}) {
  const [sortCol, sortDir] = (props.sort ?? "").split(":");
  const [wrap, scrolls] = useScrollsSideways();
  return (
    <div
      className="table-wrap"
      ref={wrap}
      {...(scrolls ? { role: "region", "aria-label": `${props.caption} (scrolls sideways)`, tabIndex: 0 } : {})}
    >
      <table>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const active = sortCol === c.key;
              const aria = active ? (sortDir === "desc" ? "descending" : "ascending") : undefined;
              return (
                <th key={c.key} scope="col" className={c.numeric ? "num" : undefined} aria-sort={aria}>
                  {c.sortable && props.onSort ? (
                    <button type="button" className="sort" onClick={() => props.onSort?.(nextSort(props.sort ?? "", c.key))}>
                      {c.label}
                      {active ? (sortDir === "desc" ? " ▼" : " ▲") : ""}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} className={c.numeric ? "num" : undefined}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Cursor paging: back to the first page, or on to the next one the server named. */
export function Pager({ cursor, nextCursor, onPage }: { cursor: string; nextCursor?: string | null; onPage: (cursor: string) => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={!cursor} onClick={() => onPage("")}>
        First page
      </button>
      <button type="button" className="secondary" disabled={!nextCursor} onClick={() => nextCursor && onPage(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}
