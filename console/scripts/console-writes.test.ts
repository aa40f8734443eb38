/**
 * The audit tests (test/console/staff-audit-catalog.test.ts and
 * staff-audit-operations.test.ts) make every write the console sends and
 * check each lands in the audit trail under the staff member's id. This
 * keeps their lists in step with the pages: a new write in the console that
 * neither audit test makes fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SOURCE = "console/src";
/** The audit tests, each ending with the list of the console writes it makes. */
const AUDIT_TESTS = ["test/console/staff-audit-catalog.test.ts", "test/console/staff-audit-operations.test.ts"];
/** Writes that change no data: the chain's verification. Sign-in and sign-out go through /api/auth, with their own events. */
const NOT_CHANGES = new Set(["POST /api/audit/verify"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [p] : [];
  });
}

describe("the console's writes and the audit test", () => {
  it("the audit test makes every write the console's pages send", () => {
    const sent = new Set<string>();
    for (const file of sources(SOURCE))
      for (const m of readFileSync(file, "utf8").matchAll(/api\.(POST|PUT|PATCH|DELETE)\("([^"]+)"/g)) sent.add(`${m[1]} ${m[2]}`);
    const listed = new Set(
      AUDIT_TESTS.flatMap((file) => {
        const audited = readFileSync(file, "utf8");
        // Each test's list of the writes it makes closes the file.
        const list = audited.search(/const [A-Z]+_WRITES = \[/);
        expect([file, list >= 0]).toEqual([file, true]);
        return [...audited.slice(list).matchAll(/"((?:POST|PUT|PATCH|DELETE) \/api\/[^"]+)"/g)].map((m) => m[1]!);
      }),
    );
    expect(sent.size).toBeGreaterThan(30);
    expect([...sent].filter((w) => !NOT_CHANGES.has(w)).sort()).toEqual([...listed].sort());
  });
});
