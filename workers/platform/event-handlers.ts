/**
 * Typed event handlers. A family subscribes with `on(Contract, handler)`:
 * the handler's event is typed by the contract's payload schema, and the
 * consumer framework has already validated the payload against that schema
 * before any handler runs, so no handler casts a payload.
 */
import type { z } from "zod";
import type { Tx } from "./db.ts";
import type { EventContract } from "./event-contracts.ts";
import type { Envelope } from "./event-envelope.ts";
import type { Runtime } from "./runtime.ts";

/** What a handler gets: the consumer's transaction (the processed-event record commits with it) and the runtime. */
export interface HandlerContext {
  tx: Tx;
  rt: Runtime;
}

export type EventHandler = (event: Envelope, ctx: HandlerContext) => Promise<void>;

/** One handler for one event type, or for every event (`type: "*"`). */
export interface Subscription {
  type: string;
  handle: EventHandler;
}

/** A consumer group's handlers by event type; `*` runs for every event. */
export type HandlerMap = Record<string, EventHandler[]>;

export function on<T extends string, S extends z.ZodType>(
  contract: EventContract<T, S>,
  handle: (event: Envelope<z.output<S>>, ctx: HandlerContext) => Promise<unknown>,
): Subscription {
  return {
    type: contract.type,
    async handle(event, ctx) {
      // The framework parsed the payload with `contract.payload` (parseEvent), so it has this type.
      await handle(event as Envelope<z.output<S>>, ctx);
    },
  };
}

/** A handler for every event the group receives, whatever its type (audit, pipeline). */
export function onEvery(handle: (event: Envelope, ctx: HandlerContext) => Promise<unknown>): Subscription {
  return {
    type: "*",
    async handle(event, ctx) {
      await handle(event, ctx);
    },
  };
}

/** Subscriptions as a handler map; handlers of one type run in the order given, none is dropped. */
export function handlerMap(subscriptions: readonly Subscription[]): HandlerMap {
  const map: HandlerMap = {};
  for (const s of subscriptions) map[s.type] = [...(map[s.type] ?? []), s.handle];
  return map;
}
