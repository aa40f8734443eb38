/** The monitoring family's settings: rate limits, the ops alert channel and the SLO burn-rate windows. */
import { z } from "zod";
import { defineConfig, jsonVar } from "../platform/config.ts";
import { ROUTE_CLASSES } from "./rate-limit-budgets.ts";

const budgetOverride = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.union([z.literal(10), z.literal(60)]).optional(),
  exact: z.boolean().optional(),
});

export const monitoringConfig = defineConfig(
  "monitoring",
  z.object({
    /** `off` turns the gateway's rate limits off (a test run, or the benchmark's baseline). */
    RATE_LIMITS: z.enum(["on", "off"]).default("on"),
    /**
     * Per-environment budgets over the table of rate-limit-budgets.ts: JSON of
     * class to { limit, windowSeconds?, exact? }. An overridden class is counted
     * exactly (its coarse binding keeps the numbers of wrangler.toml).
     */
    RATE_LIMIT_BUDGETS: jsonVar(z.partialRecord(z.enum(ROUTE_CLASSES), budgetOverride), "JSON of route class to budget").default({}),
    /** Where alerts go: a webhook of the ops channel (chat, paging or mail gateway). Unset: the error log only. */
    OPS_ALERT_WEBHOOK_URL: z.url().optional(),
    /** The ops channel's mail address: SLO alerts and recoveries go there through the notifications family. */
    OPS_ALERT_EMAIL: z.email().optional(),
    /** `off`: the scheduled SLO evaluation does nothing (the test suite, whose files inject faults into the one shared shop). */
    SLO_EVALUATION: z.enum(["on", "off"]).default("on"),
    /**
     * Seconds between an isolate's flushes of its SLO counts to the fleet's table (slo-flush.ts): the evaluation sees
     * an isolate's traffic this late at most. 0: only the evaluation job flushes (its own isolate).
     */
    SLO_FLUSH_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    /** The SLO burn-rate windows: the long one makes a breach significant, the short one says it is still on. */
    SLO_LONG_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(3600),
    SLO_SHORT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(30)
      .max(24 * 3600)
      .default(300),
    /** The burn rate both windows must reach: 14.4 spends 2 % of a 30-day error budget in an hour. */
    SLO_BURN_RATE: z.coerce.number().min(1).max(1000).default(14.4),
    /** Seconds between the outage watch's probes of a database it saw fail. */
    OUTAGE_PROBE_SECONDS: z.coerce.number().min(0.05).max(300).default(5),
    /** Consecutive answered probes before an outage counts as over (a flapping database raises one alert, not many). */
    OUTAGE_RECOVERY_PROBES: z.coerce.number().int().min(1).max(20).default(2),
  }),
);
