/**
 * The write path of a SKU's Inventory object: the stock as it stands (kept
 * in memory, loaded once), and the one way a change is stored. A change, its
 * ledger movements, its alerts and (unless one is pending) the note to
 * announce the new level go to SQLite in one transaction (store.ts); then
 * the live view hears the new level and the alarm schedule
 * (alarm-schedule.ts) learns what moved. Every operation starts here too,
 * expiring the holds that are due, so none ever sees a hold past its time.
 */
import { log } from "../../workers/platform/log.ts";
import { AlarmSchedule } from "./alarm-schedule.ts";
import { alertEvents, levelEvent } from "./events.ts";
import { expireDue } from "./holds.ts";
import { broadcast } from "./live.ts";
import { FLUSH_DELAY_MS } from "./outbox.ts";
import { type Change, emptyState, type Hold, type StockState, violations } from "./stock.ts";
import type { StockStore } from "./store.ts";
import type { Caller, HoldView, StockView } from "./types.ts";
import { holdView, stockView } from "./views.ts";

const SYSTEM_EXPIRY = { type: "system" as const, id: "expiry" };

export class StockWriter {
  readonly alarm: AlarmSchedule;
  private current: StockState | null;
  private seq: number;
  /** Whether a level announcement is already pending (then a change need not write another). */
  private levelPending: boolean;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly store: StockStore,
  ) {
    this.alarm = new AlarmSchedule(ctx.storage, store, () => this.current?.sku);
    this.current = store.loadState();
    this.seq = store.lastMovement()?.seq ?? 0;
    this.levelPending = store.pendingLevel() !== null;
  }

  /** The SKU's stock; null until the first operation of an object that never had any. */
  get state(): StockState | null {
    return this.current;
  }

  /** The sequence number of the last ledger movement. */
  get ledgerSeq(): number {
    return this.seq;
  }

  /** Loads (or starts) the state and expires due holds, so no operation ever sees a hold past its time. */
  begin(sku: string, now: number): StockState {
    if (!this.current) this.current = emptyState(sku);
    else if (this.current.sku !== sku) throw new Error(`this object holds ${this.current.sku}, not ${sku}`);
    const due = this.alarm.nextExpiry();
    if (due !== null && due <= now) this.expire(this.current, now);
    return this.current!;
  }

  /** Reads expire due holds first too; the alarm then announces what that changed. */
  read(sku: string): void {
    this.begin(sku, Date.now());
    this.alarm.schedule();
  }

  /** The alarm's part before publishing: due holds expire, and the pending level is built afresh from what is stored. */
  beforePublish(now: number): void {
    if (this.current) this.expire(this.current, now);
    this.levelPending = false;
    this.alarm.forgetFlush();
  }

  private expire(state: StockState, now: number): void {
    const change = expireDue(state, this.store.dueHolds(now), now);
    this.alarm.forgetExpiry();
    if (change) this.write(state, change, { correlationId: `expiry:${state.sku}:${now}`, actor: SYSTEM_EXPIRY }, now);
  }

  /** Stores a change with its movements, alerts and (unless one is pending) a level announcement, in one transaction. */
  write(
    before: StockState,
    change: Change,
    caller: Caller & { correlationId: string },
    now: number,
    operation?: { id: string; result: unknown },
  ): void {
    const ctx = { correlationId: caller.correlationId, actor: caller.actor, traceparent: caller.traceparent, now };
    const level = change.movements.length > 0 && !this.levelPending ? ctx : undefined;
    const alerts = alertEvents(before, change.state, ctx);
    this.store.apply(before, change, { events: alerts, level, operation, now, flushAt: now + FLUSH_DELAY_MS });
    this.current = change.state;
    this.seq += change.movements.length;
    if (level) this.levelPending = true;
    this.alarm.holdsChanged(change.holds, change.forget.length > 0);
    if (level || alerts.length > 0) this.alarm.flushBy(now + FLUSH_DELAY_MS);
    if (change.movements.length > 0) broadcast(this.ctx, () => ({ type: "level", level: this.view() }));
  }

  /** Stores holds that changed without changing the level (a pin or an extension). */
  writeHolds(state: StockState, holds: Hold[], now: number): void {
    this.store.apply(state, null, { holds, now, flushAt: now });
    this.alarm.holdsChanged(holds, false);
  }

  /** Writes a level announcement now (a resync); changes nothing on a SKU that never had stock. */
  announce(sku: string, caller: Caller, now: number): StockView {
    const state = this.begin(sku, now);
    if (state.initialized) {
      this.store.apply(state, null, {
        events: [
          levelEvent(state, "resync", this.seq, {
            correlationId: caller.correlationId ?? `resync:${sku}`,
            actor: caller.actor,
            traceparent: caller.traceparent,
            now,
          }),
        ],
        now,
        flushAt: now + FLUSH_DELAY_MS,
      });
      this.levelPending = false;
      this.alarm.forgetFlush();
    }
    return this.view();
  }

  /** Recounts the live holds from scratch (each write checks against the triggers' running sum). */
  audit(): void {
    if (!this.current) return;
    const counted = this.store.countLiveHolds();
    const kept = this.store.liveHolds();
    const broken = violations(this.current, counted.total);
    if (kept.total !== counted.total || kept.count !== counted.count)
      broken.push(`running sum ${kept.total}/${kept.count} != counted ${counted.total}/${counted.count}`);
    if (broken.length > 0) log.error("inventory.invariant_broken", { sku: this.current.sku, broken });
  }

  view(): StockView {
    return stockView(this.current, this.store.liveHolds().count, this.alarm.nextExpiry());
  }

  holdView(h: Hold): HoldView {
    return holdView(this.current?.sku ?? "", h, Date.now());
  }
}
