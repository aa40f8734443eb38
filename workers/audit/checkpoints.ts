/**
 * Signed checkpoints of the audit chain: the head's sequence number and hash
 * at a time, with an HMAC so a checkpoint cannot be forged by whoever can
 * write to the database but does not hold AUDIT_CHECKPOINT_KEY.
 */
import { desc } from "drizzle-orm";
import { auditCheckpoints } from "../../db/schema/audit.ts";
import type { Database } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";

export type Checkpoint = typeof auditCheckpoints.$inferSelect;

async function hmacHex(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const signedText = (c: { seq: number; hash: string; createdAt: Date }) => `${c.seq}:${c.hash}:${c.createdAt.toISOString()}`;

export async function signatureValid(key: string, c: Checkpoint): Promise<boolean> {
  return (await hmacHex(key, signedText(c))) === c.signature;
}

/** The newest checkpoint whose signature holds; a forged or altered one is skipped. */
export async function latestValidCheckpoint(db: Database, key: string): Promise<Checkpoint | null> {
  const rows = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.createdAt)).limit(20);
  for (const c of rows) if (await signatureValid(key, c)) return c;
  return null;
}

export async function recordCheckpoint(
  db: Database,
  key: string,
  head: { seq: number; hash: string; entriesVerified: number },
): Promise<Checkpoint> {
  // Millisecond precision, so the signed text survives the round trip through Postgres.
  const createdAt = new Date(Math.floor(Date.now()));
  const signature = await hmacHex(key, signedText({ ...head, createdAt }));
  const [row] = await db
    .insert(auditCheckpoints)
    .values({ id: newId("ckp"), ...head, createdAt, signature })
    .returning();
  return row!;
}
