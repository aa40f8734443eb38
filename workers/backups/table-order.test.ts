import { describe, expect, it } from "vitest";
import { restoreOrder } from "./table-order.ts";

const t = (s: string) => {
  const [schema, table] = s.split(".") as [string, string];
  return { schema, table };
};
const names = (xs: { schema: string; table: string }[]) => xs.map((x) => `${x.schema}.${x.table}`);

describe("restoreOrder", () => {
  it("puts referenced tables before the tables that reference them", () => {
    const tables = ["orders.lines", "orders.orders", "orders.timeline", "catalog.variants", "catalog.products"].map(t);
    const refs = new Map([
      ["orders.lines", ["orders.orders"]],
      ["orders.timeline", ["orders.orders"]],
      ["catalog.variants", ["catalog.products"]],
    ]);
    const order = names(restoreOrder(tables, refs));
    expect(order.indexOf("orders.orders")).toBeLessThan(order.indexOf("orders.lines"));
    expect(order.indexOf("orders.orders")).toBeLessThan(order.indexOf("orders.timeline"));
    expect(order.indexOf("catalog.products")).toBeLessThan(order.indexOf("catalog.variants"));
    expect(order).toHaveLength(5);
  });

  it("is deterministic, ignores self-references and references outside the set, and survives a cycle", () => {
    const tables = ["a.x", "a.y", "a.z"].map(t);
    const refs = new Map([
      ["a.x", ["a.x", "b.elsewhere"]],
      ["a.y", ["a.z"]],
      ["a.z", ["a.y"]],
    ]);
    const first = names(restoreOrder(tables, refs));
    expect(first).toEqual(names(restoreOrder([...tables].reverse(), refs)));
    expect(new Set(first)).toEqual(new Set(["a.x", "a.y", "a.z"]));
  });
});
