/** Staff templates: operational alerts (a flagged review, low stock) and the outcome of scheduled reports. */
import { z } from "zod";
import { REVIEW_FLAG_REASONS } from "../../../queues/contracts/events/review.ts";
import { formatDate, formatDateTime, safeUrl } from "./format.ts";
import { defineTemplate } from "./template-types.ts";

// Event-sourced fields are no stricter than their event contracts: an event that fits its contract always renders.
const id = z.string();

export const STAFF_TEMPLATES = {
  "review-flagged": defineTemplate({
    id: "review-flagged",
    description: "Moderators: a review was flagged",
    category: "staff",
    channels: ["email", "push"],
    data: z.object({
      reviewId: id,
      productId: id,
      reason: z.enum(REVIEW_FLAG_REASONS),
      flaggedBy: z.enum(["customer", "automatic"]),
      flagCount: z.number().int().positive(),
    }),
    vars: (d, c) => ({
      name: c.name,
      reviewId: d.reviewId,
      productId: d.productId,
      reason: c.labels.flagReason[d.reason],
      flaggedBy: c.labels.flaggedBy[d.flaggedBy],
      flagCount: d.flagCount,
      url: c.links.reviewModeration(d.reviewId),
    }),
  }),
  "low-stock": defineTemplate({
    id: "low-stock",
    description: "Admins: a SKU fell below its low-stock threshold",
    category: "staff",
    channels: ["email", "push"],
    data: z.object({
      sku: z.string(),
      available: z.number().int().nonnegative(),
      onHand: z.number().int().nonnegative(),
      lowStockThreshold: z.number().int().nonnegative(),
    }),
    vars: (d, c) => ({
      name: c.name,
      sku: d.sku,
      available: d.available,
      onHand: d.onHand,
      threshold: d.lowStockThreshold,
      url: c.links.stock(d.sku),
    }),
  }),
  "report-ready": defineTemplate({
    id: "report-ready",
    description: "Staff: a scheduled report is ready (links to its files)",
    category: "staff",
    channels: ["email"],
    data: z.object({
      title: z.string().min(1).max(200),
      from: z.iso.date(),
      to: z.iso.date(),
      files: z
        .array(z.object({ format: z.enum(["csv", "xlsx", "pdf"]), url: z.url({ protocol: /^https?$/ }) }))
        .min(1)
        .max(3),
      expiresAt: z.iso.datetime({ offset: true }),
      /** Whether the files travel with the mail as attachments too. */
      attached: z.boolean().optional(),
    }),
    vars: (d, c) => ({
      name: c.name,
      title: d.title,
      attached: d.attached ? [{}] : [],
      from: formatDate(d.from, c.locale),
      to: formatDate(d.to, c.locale),
      files: d.files.map((f) => ({ label: { csv: "CSV", xlsx: "Excel", pdf: "PDF" }[f.format], url: safeUrl(f.url) })),
      expires: formatDateTime(d.expiresAt, c.locale),
    }),
  }),
  "report-failed": defineTemplate({
    id: "report-failed",
    description: "Staff: a scheduled report failed after its retries",
    category: "staff",
    channels: ["email"],
    data: z.object({ title: z.string().min(1).max(200), from: z.iso.date(), to: z.iso.date(), attempts: z.number().int().positive() }),
    vars: (d, c) => ({
      name: c.name,
      title: d.title,
      from: formatDate(d.from, c.locale),
      to: formatDate(d.to, c.locale),
      attempts: d.attempts,
    }),
  }),
} as const;
