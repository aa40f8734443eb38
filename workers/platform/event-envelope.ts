/**
 * The one versioned event envelope carried by every queue message. The
 * payload is typed per event type by the contract registry.
 */
import { z } from "zod";
import { TOPICS } from "./event-topics.ts";

export const actorSchema = z.object({
  type: z.enum(["user", "system", "service"]),
  id: z.string().min(1),
});
export type Actor = z.infer<typeof actorSchema>;

export const envelopeSchema = z.object({
  id: z.string().regex(/^evt_[0-9A-Z]{26}$/),
  type: z.string().regex(/^[A-Z][A-Za-z]+$/),
  version: z.number().int().positive(),
  topic: z.enum(TOPICS),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The route family that produced the event. */
  source: z.string().min(1),
  /** The id of the entity the event is about (order id, SKU, user id...). */
  subjectId: z.string().min(1),
  /** Ties together everything one request or job caused; the request id when there is one. */
  correlationId: z.string().min(1),
  actor: actorSchema.nullable(),
  /**
   * The W3C traceparent of the span that caused the event, when tracing is on: consumers continue
   * its trace. Loosely checked: a malformed one is ignored by the consumer, never a poison message.
   */
  traceparent: z.string().max(256).optional(),
  payload: z.unknown(),
});

export type Envelope<P = unknown> = Omit<z.infer<typeof envelopeSchema>, "payload"> & { payload: P };
