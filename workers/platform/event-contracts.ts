/**
 * The registry of event contracts: one zod payload schema per event type and
 * version. Producers build envelopes through it, so an event that does not
 * match its contract is never written; consumers validate against it.
 */
import type { z } from "zod";
import type { Actor, Envelope } from "./event-envelope.ts";
import type { Topic } from "./event-topics.ts";
import { newId } from "./ids.ts";

export interface EventContract<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  version: number;
  topic: Topic;
  description: string;
  payload: S;
}

const contracts = new Map<string, EventContract>();
const key = (type: string, version: number) => `${type}@${version}`;

export function defineEvent<T extends string, S extends z.ZodType>(contract: EventContract<T, S>): EventContract<T, S> {
  const k = key(contract.type, contract.version);
  if (contracts.has(k)) throw new Error(`Event contract ${k} is defined twice`);
  contracts.set(k, contract);
  return contract;
}

export function findContract(type: string, version: number): EventContract | undefined {
  return contracts.get(key(type, version));
}

export function listContracts(): EventContract[] {
  return [...contracts.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.type.localeCompare(b.type) || a.version - b.version);
}

export interface EventInput<P> {
  subjectId: string;
  payload: P;
  source: string;
  correlationId: string;
  actor?: Actor | null;
  occurredAt?: Date;
  /** The causing span's traceparent (tracing on). */
  traceparent?: string;
}

/** Builds a validated envelope; throws if the payload breaks its contract. */
export function buildEvent<T extends string, S extends z.ZodType>(
  contract: EventContract<T, S>,
  input: EventInput<z.input<S>>,
): Envelope<z.output<S>> {
  const payload = contract.payload.parse(input.payload);
  return {
    id: newId("evt"),
    type: contract.type,
    version: contract.version,
    topic: contract.topic,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    source: input.source,
    subjectId: input.subjectId,
    correlationId: input.correlationId,
    actor: input.actor ?? null,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    payload,
  };
}

/** The event contracts among a module's exports (`import * as events from ".../events/order.ts"`). */
export function contractsIn(module: Record<string, unknown>): EventContract[] {
  return Object.values(module).filter((v): v is EventContract => {
    if (!v || typeof v !== "object" || !("type" in v) || !("version" in v)) return false;
    const c = v as EventContract;
    return findContract(c.type, c.version) === c;
  });
}
