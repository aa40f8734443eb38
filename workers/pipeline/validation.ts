/**
 * The pipeline's validation: an event is valid only when its envelope is
 * well formed and a contract is registered for its type and version, and its
 * payload satisfies that contract. (The consumer framework lets events of an
 * unknown type pass, because a newer producer may be ahead of a consumer;
 * the pipeline, which turns events into facts, does not.)
 */
import type { z } from "zod";
import { type EventContract, findContract } from "../platform/event-contracts.ts";
import { type Envelope, envelopeSchema } from "../platform/event-envelope.ts";

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

/** What a failed event is filed under: its topic and type when it names them, else `unknown`. */
export interface EventLabel {
  topic: string;
  type: string;
  version: number | null;
}

export type Validation =
  | { ok: true; event: Envelope; contract: EventContract }
  | ({ ok: false; reason: string; issues: ValidationIssue[] } & EventLabel);

const toIssues = (error: z.ZodError, prefix: string): ValidationIssue[] =>
  error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), code: i.code, message: i.message }));

const describe = (issues: ValidationIssue[]) => issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");

export function labelOf(body: unknown): EventLabel {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 100 ? v : "unknown");
  return {
    topic: text(b.topic),
    type: text(b.type),
    version: typeof b.version === "number" && Number.isInteger(b.version) ? b.version : null,
  };
}

export function validateEvent(body: unknown): Validation {
  const label = labelOf(body);
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    const issues = toIssues(envelope.error, "");
    return { ok: false, ...label, issues, reason: `not an event envelope: ${describe(issues)}` };
  }
  const event = envelope.data as Envelope;
  const contract = findContract(event.type, event.version);
  if (!contract) {
    const issues = [{ path: "type", code: "unregistered", message: `no contract is registered for ${event.type}@${event.version}` }];
    return { ok: false, ...label, issues, reason: `no contract for ${event.type}@${event.version}` };
  }
  if (contract.topic !== event.topic) {
    const issues = [{ path: "topic", code: "invalid_value", message: `${event.type} belongs to topic ${contract.topic}` }];
    return { ok: false, ...label, issues, reason: `wrong topic for ${event.type}@${event.version}` };
  }
  const payload = contract.payload.safeParse(event.payload);
  if (!payload.success) {
    const issues = toIssues(payload.error, "payload");
    return { ok: false, ...label, issues, reason: `payload breaks ${event.type}@${event.version}: ${describe(issues)}` };
  }
  return { ok: true, event: { ...event, payload: payload.data }, contract };
}
