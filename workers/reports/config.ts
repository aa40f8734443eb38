/** Settings of the reports family. */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const reportsConfig = defineConfig(
  "reports",
  z.object({
    /** Secret that signs download links (32+ characters). Development and test use a fixed key without it; production refuses. */
    REPORTS_SIGNING_KEY: z.string().min(32).optional(),
    /** The shop's name on every report. */
    REPORTS_SHOP_NAME: z.string().min(1).max(80).default("Edge Commerce"),
    /** Where links in mails point: the API's public base URL. */
    REPORTS_PUBLIC_URL: z.url().default("http://localhost:8787"),
    /** The same request (definition, parameters, formats, access) within this many seconds gets the stored result. */
    REPORTS_REUSE_SECONDS: seconds(600),
    /** Lifetime of a download link answered by the API. */
    REPORTS_LINK_TTL_SECONDS: seconds(900),
    /** Lifetime of a download link sent by mail to a subscriber. */
    REPORTS_MAIL_LINK_TTL_SECONDS: seconds(7 * 86_400),
    /** Days a run's files are kept in R2 (the run stays in the index, marked purged). */
    REPORTS_RETENTION_DAYS: seconds(90),
    /** Attempts of a scheduled run before the subscriber is alerted and the period is skipped. */
    REPORTS_SCHEDULE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    /**
     * A scheduled run's files go with the mail as attachments when together
     * they are at most this many bytes (10 MiB: base64 makes 13.4 MB, inside
     * Resend's 40 MB and SendGrid's 30 MB per message); larger, the mail
     * carries the links only. 0 sends links only.
     */
    REPORTS_MAIL_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(20 * 1024 * 1024)
      .default(10 * 1024 * 1024),
  }),
);
