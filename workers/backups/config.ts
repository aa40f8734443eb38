/** The settings the backups family reads (vars and secrets; see wrangler.toml and docs/backups.md). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";
import { RetentionPolicy } from "./retention.ts";

const json = <T extends z.ZodType>(schema: T, what: string) =>
  z.string().transform((s, ctx): z.infer<T> => {
    try {
      return schema.parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: "custom", message: `must be ${what}` });
      return z.NEVER;
    }
  });

export const backupsConfig = defineConfig(
  "backups",
  z.object({
    /** Secret: when set, every backup part is sealed with AES-256-GCM under a key derived from it. */
    BACKUP_ENCRYPTION_KEY: z.string().min(32).optional(),
    /** Grandfather-father-son retention: how many daily, weekly and monthly complete sets to keep (JSON). */
    BACKUP_RETENTION: json(RetentionPolicy, 'a JSON object {"daily":n,"weekly":n,"monthly":n}').default({
      daily: 7,
      weekly: 5,
      monthly: 12,
    }),
    /** Secret: a database migrated like the main one, which validations and drills restore into (a Neon branch). */
    BACKUP_SCRATCH_DATABASE_URL: z.string().url().optional(),
    /** Objects exported (or imported) at once while fanning out over the Durable Objects. */
    BACKUP_OBJECT_BATCH: z.coerce.number().int().min(1).max(200).default(25),
    /** A pause after each batch of objects (0: none): spreads a backup's or a restore's calls on the objects over time. */
    BACKUP_OBJECT_PAUSE_MS: z.coerce.number().int().min(0).max(10_000).default(0),
    /** Rows of an object's append-only table (an Inventory ledger) per page: bounds each call and each NDJSON line. */
    BACKUP_OBJECT_PAGE_ROWS: z.coerce.number().int().min(1).max(100_000).default(2000),
    /** Uncompressed bytes per stored part: the most a backup holds in memory per stream. */
    BACKUP_PART_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /** The deployed code's version, recorded in each manifest. */
    CODE_VERSION: z.string().max(200).default("dev"),
  }),
);

export type BackupsSettings = ReturnType<typeof backupsConfig.read>;
