/**
 * The category tree as staff arrange it: each parent followed by its
 * children, siblings by their position and then by name. The API pages the
 * tree in path order (stable for its cursor); the position is what a
 * storefront menu follows, so the console shows the tree in that order.
 */

export interface TreeRow {
  id: string;
  parentId?: string | null;
  name: string;
  position?: number;
}

export function treeOrder<R extends TreeRow>(rows: readonly R[]): R[] {
  const children = new Map<string, R[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    // A parent not in the list (another page) puts the row at the top level rather than losing it.
    const parent = r.parentId && ids.has(r.parentId) ? r.parentId : "";
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const bySiblingOrder = (a: R, b: R) => (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name);
  const out: R[] = [];
  const visit = (parent: string) => {
    for (const r of (children.get(parent) ?? []).sort(bySiblingOrder)) {
      out.push(r);
      visit(r.id);
    }
  };
  visit("");
  return out;
}
