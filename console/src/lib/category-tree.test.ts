import { describe, expect, it } from "vitest";
import { treeOrder } from "./category-tree.ts";

describe("category tree order", () => {
  it("puts each parent before its children and orders siblings by position, then name", () => {
    const rows = [
      { id: "c", parentId: null, name: "Cameras", position: 2 },
      { id: "a", parentId: null, name: "Apparel", position: 5 },
      { id: "a2", parentId: "a", name: "Shoes", position: 0 },
      { id: "a1", parentId: "a", name: "Jackets", position: 0 },
      { id: "b", parentId: null, name: "Books", position: 2 },
      { id: "c1", parentId: "c", name: "Lenses", position: 1 },
    ];
    expect(treeOrder(rows).map((r) => r.id)).toEqual(["b", "c", "c1", "a", "a1", "a2"]);
  });

  it("keeps a row whose parent is not in the list, at the top level", () => {
    expect(
      treeOrder([
        { id: "x", parentId: "elsewhere", name: "Orphan" },
        { id: "y", name: "Top", position: 1 },
      ]).map((r) => r.id),
    ).toEqual(["x", "y"]);
  });
});
