/** Builds the envelopes a stock change announces: the new level, and the alerts its crossings raise. */

import {
  InventoryUpdated,
  LowStockAlert,
  type MovementKind,
  OutOfStock,
  ReorderSuggested,
} from "../../queues/contracts/events/inventory.ts";
import { buildEvent } from "../../workers/platform/event-contracts.ts";
import type { Actor as EventActor } from "../../workers/platform/event-envelope.ts";
import { available, type StockState, signals, stockStatus } from "./stock.ts";
import type { OutboxEntry } from "./store.ts";

export interface EventContext {
  correlationId: string;
  actor: EventActor | null;
  now: number;
  /** The causing request's traceparent, when it was traced. */
  traceparent?: string | undefined;
}

const traced = (ctx: EventContext) => (ctx.traceparent ? { traceparent: ctx.traceparent } : {});

const SOURCE = "inventory";
/** The outbox key of the level announcement (see store.ts). */
const LEVEL_KEY = "level";

export function levelEvent(state: StockState, cause: MovementKind, ledgerSeq: number, ctx: EventContext): OutboxEntry {
  const envelope = buildEvent(InventoryUpdated, {
    subjectId: state.sku,
    source: SOURCE,
    correlationId: ctx.correlationId,
    actor: ctx.actor,
    occurredAt: new Date(ctx.now),
    ...traced(ctx),
    payload: {
      sku: state.sku,
      onHand: state.onHand,
      reserved: state.reserved,
      available: available(state),
      lowStockThreshold: state.settings.lowStockThreshold,
      reorderPoint: state.settings.reorderPoint,
      reorderQuantity: state.settings.reorderQuantity,
      status: stockStatus(state),
      version: Math.max(1, state.version),
      ledgerSeq,
      cause,
      updatedAt: new Date(state.updatedAt || ctx.now).toISOString(),
    },
  });
  return { id: envelope.id, envelope, mergeKey: LEVEL_KEY };
}

/** One event per alert a change raised (alerts are never merged; the level is announced apart). */
export function alertEvents(before: StockState, after: StockState, ctx: EventContext): OutboxEntry[] {
  const base = {
    subjectId: after.sku,
    source: SOURCE,
    correlationId: ctx.correlationId,
    actor: ctx.actor,
    occurredAt: new Date(ctx.now),
    ...traced(ctx),
  };
  const out: OutboxEntry[] = [];
  for (const s of signals(before, after)) {
    const version = after.version;
    const envelope =
      s.type === "LowStockAlert"
        ? buildEvent(LowStockAlert, {
            ...base,
            payload: { sku: after.sku, available: s.available, onHand: s.onHand, lowStockThreshold: s.lowStockThreshold, version },
          })
        : s.type === "OutOfStock"
          ? buildEvent(OutOfStock, { ...base, payload: { sku: after.sku, onHand: s.onHand, reserved: s.reserved, version } })
          : buildEvent(ReorderSuggested, {
              ...base,
              payload: {
                sku: after.sku,
                available: s.available,
                onHand: s.onHand,
                reorderPoint: s.reorderPoint,
                suggestedQuantity: s.suggestedQuantity,
                version,
              },
            });
    out.push({ id: envelope.id, envelope, mergeKey: null });
  }
  return out;
}
