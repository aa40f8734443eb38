/**
 * The oversight reports: the review moderation backlog (support, analysts
 * and admins: counts, no review text or author) and the audit/compliance
 * summary (admins: the trail's events by type, family and kind of actor, and
 * the chain's signed checkpoints). Each reads its family's own figures
 * (`moderationBacklog`, `auditSummary`), never its tables.
 */
import { z } from "@hono/zod-openapi";
import { auditSummary } from "../../audit/index.ts";
import { moderationBacklog } from "../../reviews/index.ts";
import { sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { periodParams } from "./params.ts";

export const reviewBacklog = defineReport({
  id: "review-backlog",
  title: "Review moderation backlog",
  description:
    "Reviews waiting for a moderator now (by reason and by age), open abuse reports, and the decisions taken in the period (per day, hours to decision).",
  access: ["admin", "analyst", "support"],
  span: "week",
  params: z.strictObject({
    ...periodParams,
    productId: z
      .string()
      .regex(/^prd_[0-9A-Za-z]{1,40}$/, "a product id")
      .optional()
      .openapi({ description: "Only the reviews of this product" }),
  }),
  async build(p, period, { db, now }) {
    const b = await moderationBacklog(db, period, now, p.productId);
    return {
      currency: null,
      sections: [
        sectionOf(
          "Waiting now",
          [
            { key: "pending", label: "Reviews waiting", type: "integer" },
            { key: "oldestHours", label: "Longest wait (hours)", type: "decimal" },
            { key: "medianHours", label: "Median wait (hours)", type: "decimal" },
            { key: "openReports", label: "Open abuse reports", type: "integer" },
            { key: "approved", label: "Approved in period", type: "integer" },
            { key: "rejected", label: "Rejected in period", type: "integer" },
            { key: "medianHoursToDecision", label: "Median hours to decision", type: "decimal" },
          ],
          [{ ...b.waiting, ...b.decisions }],
        ),
        sectionOf(
          "By reason",
          [
            { key: "reason", label: "Held for", type: "text" },
            { key: "pending", label: "Reviews waiting", type: "integer" },
            { key: "oldestHours", label: "Longest wait (hours)", type: "decimal" },
          ],
          b.byReason,
        ),
        sectionOf(
          "By age",
          [
            { key: "age", label: "Waiting", type: "text" },
            { key: "pending", label: "Reviews", type: "integer" },
          ],
          b.byAge,
        ),
        sectionOf(
          "Decisions per day",
          [
            { key: "day", label: "Day", type: "date" },
            { key: "approved", label: "Approved", type: "integer" },
            { key: "rejected", label: "Rejected", type: "integer" },
          ],
          b.perDay,
          { label: "day", value: "approved", title: "Reviews approved per day" },
        ),
      ],
    };
  },
});

export const auditCompliance = defineReport({
  id: "audit-summary",
  title: "Audit and compliance summary",
  description:
    "Events recorded in the audit trail in the period by type, family and kind of actor, per day, and the chain's signed checkpoints.",
  access: [],
  span: "month",
  params: z.strictObject({ ...periodParams }),
  async build(_p, period, { db }) {
    const s = await auditSummary(db, period);
    return {
      currency: null,
      sections: [
        sectionOf(
          "Totals",
          [
            { key: "entries", label: "Events recorded", type: "integer" },
            { key: "types", label: "Event types", type: "integer" },
            { key: "firstSeq", label: "First entry", type: "integer" },
            { key: "lastSeq", label: "Last entry", type: "integer" },
          ],
          [s.totals],
        ),
        sectionOf(
          "By type",
          [
            { key: "type", label: "Event type", type: "text" },
            { key: "source", label: "Family", type: "text" },
            { key: "entries", label: "Events", type: "integer" },
          ],
          s.byType,
        ),
        sectionOf(
          "By actor",
          [
            { key: "actorType", label: "Actor", type: "text" },
            { key: "entries", label: "Events", type: "integer" },
          ],
          s.byActor,
        ),
        sectionOf(
          "Per day",
          [
            { key: "day", label: "Day", type: "date" },
            { key: "entries", label: "Events", type: "integer" },
          ],
          s.perDay,
          { label: "day", value: "entries", title: "Audit events per day" },
        ),
        sectionOf(
          "Checkpoints",
          [
            { key: "createdAt", label: "Signed at", type: "text" },
            { key: "seq", label: "Covers entries up to", type: "integer" },
            { key: "entriesVerified", label: "Entries verified", type: "integer" },
          ],
          s.checkpoints,
        ),
      ],
    };
  },
});
