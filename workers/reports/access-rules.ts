/**
 * Who sees what in a report. Admins see everything; analysts see every
 * report (aggregates, and customers only by pseudonymous key, which is all
 * the facts hold); support sees the fulfilment and customer-service reports
 * (stock, payment outcomes) without any money column, as its API reads show
 * no revenue. The cut happens on the report's columns before any file is
 * written, so no format can carry a field the requester may not read.
 */
import type { Role } from "../platform/context.ts";
import type { Access, ReportDefinition } from "./definitions/definition.ts";
import type { Section } from "./formats/report-model.ts";

/** The widest access among a caller's roles; null for a customer. */
export function accessOf(roles: readonly Role[]): Access | null {
  if (roles.includes("admin")) return "admin";
  if (roles.includes("analyst")) return "analyst";
  if (roles.includes("support")) return "support";
  return null;
}

export const mayRun = (def: ReportDefinition, access: Access) => access === "admin" || def.access.includes(access);

/** The sections as `access` may read them: support loses every money column (and a chart drawn from one). */
export function cutFor(sections: Section[], access: Access): Section[] {
  if (access !== "support") return sections;
  return sections.map((s) => {
    const columns = s.columns.filter((c) => c.type !== "money");
    const keys = new Set(columns.map((c) => c.key));
    const chart = s.chart && keys.has(s.chart.value) ? s.chart : undefined;
    return {
      title: s.title,
      columns,
      // Rows keep only the visible columns, so nothing else reaches a writer.
      async *pages() {
        for await (const page of s.pages()) yield page.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => keys.has(k))));
      },
      ...(chart ? { chart } : {}),
    };
  });
}
