import { describe, expect, it } from "vitest";
import { changeState, nextSort, readState, sortRows, writeState } from "./url-state.ts";

const defaults = { status: "", sort: "createdAt:desc", cursor: "" };

describe("table state in the URL", () => {
  it("reads the known keys over the defaults and ignores the rest", () => {
    expect(readState("?status=shipped&evil=1", defaults)).toEqual({ status: "shipped", sort: "createdAt:desc", cursor: "" });
    expect(readState("", defaults)).toEqual(defaults);
  });

  it("writes only what differs from the defaults, in a stable order, and round-trips", () => {
    const state = { status: "pending", sort: "total:asc", cursor: "abc" };
    const search = writeState(state, defaults);
    expect(search).toBe("?cursor=abc&sort=total%3Aasc&status=pending");
    expect(readState(search, defaults)).toEqual(state);
    expect(writeState(defaults, defaults)).toBe("");
  });

  it("goes back to the first page when a filter changes, but not when paging", () => {
    const state = { status: "pending", sort: "createdAt:desc", cursor: "c2" };
    expect(changeState(state, { status: "shipped" }).cursor).toBe("");
    expect(changeState(state, { cursor: "c3" })).toEqual({ ...state, cursor: "c3" });
  });

  it("flips the sort of the same column and starts a new column ascending", () => {
    expect(nextSort("name:asc", "name")).toBe("name:desc");
    expect(nextSort("name:desc", "name")).toBe("name:asc");
    expect(nextSort("name:desc", "total")).toBe("total:asc");
  });

  it("sorts numbers numerically and text by the locale, in either direction", () => {
    const rows = [
      { n: 10, s: "b" },
      { n: 9, s: "a" },
      { n: 100, s: "c" },
    ];
    const read = (r: { n: number; s: string }, c: string) => (c === "n" ? r.n : r.s);
    expect(sortRows(rows, "n:asc", read).map((r) => r.n)).toEqual([9, 10, 100]);
    expect(sortRows(rows, "s:desc", read).map((r) => r.s)).toEqual(["c", "b", "a"]);
  });
});
