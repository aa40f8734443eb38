/**
 * Parked messages: the dead-letter consumers store them here; admins list
 * them and replay them onto the queue they failed on.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { deadLetters } from "../../db/schema/pipeline.ts";
import type { ParkedMessage } from "../../queues/consumer-framework.ts";
import { groupByQueue } from "../../queues/routing.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { PipelineErrors } from "./errors.ts";
import { PIPELINE_QUEUE, quarantineParked } from "./quarantine.ts";

export interface DeadLetterInput {
  queue: string;
  messageKey: string;
  eventType: string | null;
  body: unknown;
  reason: string;
  /** Parked by the consumer framework (it failed validation), rather than moved by the platform after the retry limit. */
  parked?: boolean;
}

/** Reads what the DLQ delivered: a parked wrapper from the framework, or a raw body moved by the platform after max retries. */
export function describeDeadLetter(dlqBody: unknown, originalQueue: string, messageId: string, attempts: number): DeadLetterInput {
  const parked = dlqBody as Partial<ParkedMessage> | null;
  if (parked && typeof parked === "object" && parked.deadLetter && "body" in parked) {
    return {
      queue: parked.deadLetter.queue,
      messageKey: parked.deadLetter.key,
      eventType: eventTypeOf(parked.body),
      body: parked.body,
      reason: parked.deadLetter.reason,
      parked: true,
    };
  }
  const id = (dlqBody as { id?: unknown } | null)?.id;
  return {
    queue: originalQueue,
    messageKey: typeof id === "string" ? id : messageId,
    eventType: eventTypeOf(dlqBody),
    body: dlqBody ?? null,
    reason: `delivery failed until the queue's retry limit (dead-letter delivery attempt ${attempts})`,
  };
}

function eventTypeOf(body: unknown): string | null {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : null;
}

/**
 * Idempotent per (queue, message key): a message dead-lettered again is
 * counted, not duplicated. An event parked for failing validation on the
 * pipeline's own queue is also quarantined (quarantine.ts), where its
 * reason is kept per field and a replay validates it first.
 */
export async function recordDeadLetter(db: Database, input: DeadLetterInput): Promise<void> {
  const { parked, ...row } = input;
  await db.transaction(async (tx) => {
    await tx
      .insert(deadLetters)
      .values({ id: newId("dlq"), ...row, body: input.body as object })
      .onConflictDoUpdate({
        target: [deadLetters.queue, deadLetters.messageKey],
        set: {
          status: "parked",
          reason: input.reason,
          body: input.body as object,
          deadLetteredCount: sql`${deadLetters.deadLetteredCount} + 1`,
          lastDeadAt: sql`now()`,
        },
      });
    if (parked && input.queue === PIPELINE_QUEUE) await quarantineParked(tx, input.body, input.messageKey);
  });
}

/** Newest first; the cursor's key is the last dead letter's id. */
const DEAD_LETTERS_SORT = "dead-letters:newest";

export async function listDeadLetters(
  db: Database,
  filter: { queue?: string; status?: "parked" | "replayed"; limit: number; cursor?: string },
) {
  const [before] = filter.cursor ? decodeCursor(filter.cursor, DEAD_LETTERS_SORT, ["string"]) : [];
  const where = and(
    filter.queue ? eq(deadLetters.queue, filter.queue) : undefined,
    filter.status ? eq(deadLetters.status, filter.status) : undefined,
    before !== undefined ? lt(deadLetters.id, before) : undefined,
  );
  const rows = await db
    .select()
    .from(deadLetters)
    .where(where)
    .orderBy(desc(deadLetters.id))
    .limit(filter.limit + 1);
  const { page, nextCursor } = keysetPage(rows, filter.limit, DEAD_LETTERS_SORT, (r) => [r.id]);
  return { items: page, nextCursor };
}

/** Sends a parked message back to its queue. Replaying an already replayed message is refused (409). */
export async function replayDeadLetter(db: Database, rt: Pick<Runtime, "queues">, id: string) {
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.id, id));
  if (!row) throw notFound("dead letter");
  if (row.status !== "parked") throw new ApiError(PipelineErrors.DEAD_LETTER_ALREADY_REPLAYED, `Dead letter ${id} was already replayed`);
  const group = groupByQueue(row.queue);
  if (!group) throw new ApiError(ErrorCode.CONFLICT, `Queue ${row.queue} has no consumer group any more`);
  // Claim first so two concurrent replays send once.
  const claimed = await db
    .update(deadLetters)
    .set({ status: "replayed", replayCount: sql`${deadLetters.replayCount} + 1`, replayedAt: sql`now()` })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "parked")))
    .returning();
  if (claimed.length === 0) throw new ApiError(PipelineErrors.DEAD_LETTER_ALREADY_REPLAYED, `Dead letter ${id} was already replayed`);
  try {
    await rt.queues.send(group.producer, row.body);
  } catch (err) {
    await db
      .update(deadLetters)
      .set({ status: "parked", replayCount: sql`${deadLetters.replayCount} - 1` })
      .where(eq(deadLetters.id, id));
    throw new ApiError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      `Queue ${row.queue} refused the message: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return claimed[0]!;
}
