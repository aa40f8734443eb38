/** How the audit page names an entry's event and, for a staff member's attempted write, what became of it. */

export interface AuditEntryView {
  type: string;
  payload?: unknown;
  outcome?: { result: "succeeded" | "failed" | "unknown"; status: number | null };
}

const STAFF_TYPES = new Set(["StaffActionAttempted", "StaffActionTaken", "StaffActionFailed"]);

/** A staff write says which route it went through ("StaffActionTaken: PATCH /api/promotions/{id}"); other events by their type alone. */
export function eventOf(e: AuditEntryView): string {
  const p = e.payload as { method?: unknown; route?: unknown } | null | undefined;
  return STAFF_TYPES.has(e.type) && typeof p?.method === "string" && typeof p.route === "string"
    ? `${e.type}: ${p.method} ${p.route}`
    : e.type;
}

/** The outcome column: for an attempt, its status or "outcome unknown"; for an outcome, its status; else nothing. */
export function outcomeOf(e: AuditEntryView): string {
  if (e.type === "StaffActionAttempted") {
    if (!e.outcome || e.outcome.result === "unknown") return "outcome unknown";
    return `${e.outcome.result} (${e.outcome.status})`;
  }
  const status = (e.payload as { status?: unknown } | null | undefined)?.status;
  if ((e.type === "StaffActionTaken" || e.type === "StaffActionFailed") && typeof status === "number") {
    return `${e.type === "StaffActionTaken" ? "succeeded" : "failed"} (${status})`;
  }
  return "";
}
