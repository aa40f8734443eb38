/**
 * One Inventory object per SKU is the single writer of that SKU's stock and
 * holds. Each operation runs synchronously against SQLite (nothing awaited
 * between read and write), so operations never interleave and no two holds
 * can take the same unit. A change, its ledger movements, its alerts and the
 * note to announce the new level are one SQLite transaction; the alarm
 * publishes them (the object's own outbox) and expires holds. There is one
 * alarm, at the earliest of the next hold expiry and the next outbox flush.
 *
 * Group commit: operations that arrive while the previous write is being
 * made durable wait for it, then run back to back and share the next write.
 * Each still has its own transaction, so one that fails rolls back alone.
 */
import { DurableObject } from "cloudflare:workers";
import { type CloudflareEnv, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { alertEvents, levelEvent } from "./events.ts";
import { GroupCommit } from "./group-commit.ts";
import { acceptLive, broadcast } from "./live.ts";
import { FLUSH_DELAY_MS, publishOutbox } from "./outbox.ts";
import type { Change, Hold, StockState } from "./stock.ts";
import * as rules from "./stock.ts";
import { StockStore } from "./store.ts";
import {
  type Caller,
  type HoldInput,
  type HoldResult,
  type HoldView,
  type LedgerEntry,
  type OperationInput,
  type ReserveInput,
  type ReserveResult,
  refusalCode,
  type SettingsPatch,
  type StockResult,
  type StockView,
} from "./types.ts";
import { holdView, stockView } from "./views.ts";

/** Closed holds and operation records are kept this long for idempotent replays. */
export const RETENTION_MS = 7 * 24 * 3600_000;
const MAX_TTL_MS = 24 * 3600_000;

const actorString = (c: Caller) => `${c.actor.type}:${c.actor.id}`;
const SYSTEM_EXPIRY = { type: "system" as const, id: "expiry" };

type Outcome<O> = { outcome: O; change: Change | null };

export class Inventory extends DurableObject<CloudflareEnv> {
  /** The ports (queues, config) the object's outbox and fault points use. */
  private readonly rt: Runtime;
  private readonly store: StockStore;
  private state: StockState | null;
  private ledgerSeq: number;
  private alarmAt: number | null = null;
  /** Cached earliest expiry of a held hold and earliest outbox flush; undefined means "ask the store". */
  private expiryAt: number | null | undefined;
  private flushAt: number | null | undefined;
  /** Whether a level announcement is already pending (then a change need not write another). */
  private levelPending: boolean;
  private readonly group: GroupCommit;

  constructor(ctx: DurableObjectState, env: CloudflareEnv) {
    super(ctx, env);
    this.rt = cloudflareRuntime(env);
    this.store = new StockStore(ctx.storage);
    this.group = new GroupCommit(ctx.storage, () => this.scheduleAlarm());
    this.state = this.store.loadState();
    this.ledgerSeq = this.store.lastMovement()?.seq ?? 0;
    this.levelPending = this.store.pendingLevel() !== null;
    this.audit();
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ---- holds

  reserve(input: ReserveInput): Promise<ReserveResult> {
    return this.group.run(() => {
      const now = Date.now();
      const state = this.begin(input.sku, now);
      const expiresAt = input.expiresAt ?? now + (input.ttlMs ?? 0);
      if (!Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + MAX_TTL_MS)
        throw new RangeError("a hold must expire within 24 hours from now");
      const { outcome, change } = rules.reserve(
        state,
        this.store.hold(input.reservationId),
        { reservationId: input.reservationId, quantity: input.quantity, expiresAt, actor: actorString(input) },
        now,
      );
      if (change) this.write(state, change, { ...input, correlationId: input.correlationId ?? input.reservationId }, now);
      switch (outcome.kind) {
        case "held":
          return { ok: true, hold: this.holdView(outcome.hold), replayed: outcome.replayed, available: rules.available(this.state!) };
        case "refused":
          return { ok: false, code: "INSUFFICIENT_STOCK", available: outcome.available };
        case "mismatch":
          return { ok: false, code: "RESERVATION_MISMATCH", hold: this.holdView(outcome.hold) };
        case "closed":
          return { ok: false, code: refusalCode(outcome.status), hold: this.holdView(outcome.hold) };
      }
    });
  }

  commit(input: HoldInput): Promise<HoldResult> {
    return this.holdOperation(input, (state, hold, now) =>
      rules.commit(state, hold, { actor: actorString(input), reason: input.reason ?? null }, now),
    );
  }

  release(input: HoldInput & { forget?: boolean }): Promise<HoldResult> {
    return this.holdOperation(input, (state, hold, now) =>
      rules.release(state, hold, { actor: actorString(input), reason: input.reason ?? null, forget: input.forget }, now),
    );
  }

  pin(input: HoldInput): Promise<HoldResult> {
    return this.holdOperation(input, (_state, hold, now) => rules.pin(hold, now));
  }

  extend(input: HoldInput & { ttlMs?: number; expiresAt?: number }): Promise<HoldResult> {
    return this.holdOperation(input, (_state, hold, now) => {
      const until = input.expiresAt ?? now + (input.ttlMs ?? 0);
      if (!Number.isSafeInteger(until) || until <= now || until > now + MAX_TTL_MS)
        throw new RangeError("a hold must expire within 24 hours from now");
      return rules.extend(hold, until, now);
    });
  }

  async hold(sku: string, reservationId: string): Promise<HoldView | null> {
    this.read(sku);
    const hold = this.store.hold(reservationId);
    return hold ? this.holdView(hold) : null;
  }

  // ---- stock movements

  /** The opening balance of a SKU that never had stock; for one that has, re-announces its level instead. */
  openBalance(input: OperationInput & { onHand: number; settings?: SettingsPatch }): Promise<StockResult> {
    return this.group.run((): StockResult => {
      const now = Date.now();
      const state = this.begin(input.sku, now);
      if (state.initialized) {
        // Bootstrapping a SKU that already has stock: its stock stays, and the projection hears its level again.
        this.announceNow(input.sku, input, now);
        return { ok: false, code: "ALREADY_INITIALISED", available: rules.available(state), detail: "the SKU already has stock" };
      }
      return this.stockNow(input, now, (s) =>
        rules.openBalance(
          s,
          input.onHand,
          input.settings ?? {},
          { actor: actorString(input), reason: input.reason ?? "opening balance" },
          now,
        ),
      );
    });
  }

  restock(input: OperationInput & { quantity: number }): Promise<StockResult> {
    return this.stockOperation(input, (state, now) =>
      rules.restock(state, input.quantity, { actor: actorString(input), reason: input.reason ?? null }, now),
    );
  }

  adjust(input: OperationInput & { delta: number }): Promise<StockResult> {
    return this.stockOperation(input, (state, now) =>
      rules.adjust(state, input.delta, { actor: actorString(input), reason: input.reason ?? null }, now),
    );
  }

  receiveReturn(input: OperationInput & { quantity: number; reservationId?: string }): Promise<StockResult> {
    return this.stockOperation(input, (state, now) =>
      rules.receiveReturn(
        state,
        input.quantity,
        input.reservationId ?? null,
        { actor: actorString(input), reason: input.reason ?? null },
        now,
      ),
    );
  }

  configure(input: OperationInput & { settings: SettingsPatch }): Promise<StockResult> {
    return this.stockOperation(input, (state, now) => ({
      outcome: { kind: "ok" },
      change: rules.configure(state, input.settings, { actor: actorString(input), reason: input.reason ?? null }, now),
    }));
  }

  /** Publishes the current level again (a projection that lost track catches up); changes nothing. */
  announce(input: Caller & { sku: string }): Promise<StockView> {
    return this.group.run(() => this.announceNow(input.sku, input, Date.now()));
  }

  // ---- reads

  async level(sku: string): Promise<StockView> {
    this.read(sku);
    return this.view();
  }

  async ledger(
    sku: string,
    opts: { beforeSeq?: number; afterSeq?: number; limit: number; order?: "asc" | "desc" },
  ): Promise<LedgerEntry[]> {
    this.read(sku);
    return this.store.ledger({ ...opts, order: opts.order ?? "desc" }).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /** Outbox entries not yet published (tests and operators). */
  async pendingEvents(): Promise<number> {
    return this.store.outboxSize();
  }

  /** A call that does nothing: the baseline of the benchmarks, and a liveness probe. */
  async ping(): Promise<number> {
    return 1;
  }

  // ---- the alarm: expiry, outbox flush, housekeeping

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    if (this.state) this.expire(this.state, now);
    this.levelPending = false;
    this.flushAt = undefined;
    await publishOutbox(this.rt, this.store, this.state, this.ledgerSeq, now);
    this.store.prune(now - RETENTION_MS);
    this.audit();
    this.scheduleAlarm();
  }

  /** Recounts the live holds from scratch (each write checks against the triggers' running sum). */
  private audit(): void {
    if (!this.state) return;
    const counted = this.store.countLiveHolds();
    const kept = this.store.liveHolds();
    const broken = rules.violations(this.state, counted.total);
    if (kept.total !== counted.total || kept.count !== counted.count)
      broken.push(`running sum ${kept.total}/${kept.count} != counted ${counted.total}/${counted.count}`);
    if (broken.length > 0) log.error("inventory.invariant_broken", { sku: this.state.sku, broken });
  }

  // ---- operations

  private holdOperation(
    input: HoldInput,
    op: (state: StockState, hold: Hold | undefined, now: number) => Outcome<rules.HoldOutcome>,
  ): Promise<HoldResult> {
    return this.group.run(() => {
      const now = Date.now();
      const state = this.begin(input.sku, now);
      const { outcome, change } = op(state, this.store.hold(input.reservationId), now);
      if (change) this.write(state, change, { ...input, correlationId: input.correlationId ?? input.reservationId }, now);
      else if (outcome.kind === "ok" && !outcome.replayed) {
        // A pin or an extension: the hold changes, the level does not.
        this.store.apply(state, null, { holds: [outcome.hold], now, flushAt: now });
        this.holdsChanged([outcome.hold], false);
      }
      if (outcome.kind === "not_found") return { ok: false, code: "HOLD_NOT_FOUND" } as const;
      if (outcome.kind === "refused") return { ok: false, code: refusalCode(outcome.status), hold: this.holdView(outcome.hold) } as const;
      return { ok: true, hold: this.holdView(outcome.hold), replayed: outcome.replayed } as const;
    });
  }

  private stockOperation(input: OperationInput, op: (state: StockState, now: number) => Outcome<rules.StockOutcome>): Promise<StockResult> {
    return this.group.run(() => {
      const now = Date.now();
      this.begin(input.sku, now);
      return this.stockNow(input, now, (s) => op(s, now));
    });
  }

  /** A staff movement, applied once per operation id (a repeat answers with the level as it is). */
  private stockNow(input: OperationInput, now: number, op: (state: StockState) => Outcome<rules.StockOutcome>): StockResult {
    const state = this.state!;
    if (this.store.operation(input.operationId)) return { ok: true, replayed: true, level: this.view() };
    const { outcome, change } = op(state);
    if (outcome.kind === "refused") return { ok: false, code: "STOCK_BELOW_HELD", available: outcome.available, detail: outcome.reason };
    if (change)
      this.write(state, change, { ...input, correlationId: input.correlationId ?? input.operationId }, now, {
        id: input.operationId,
        result: { ok: true },
      });
    return { ok: true, replayed: false, level: this.view() };
  }

  private announceNow(sku: string, caller: Caller, now: number): StockView {
    const state = this.begin(sku, now);
    if (state.initialized) {
      this.store.apply(state, null, {
        events: [
          levelEvent(state, "resync", this.ledgerSeq, { correlationId: caller.correlationId ?? `resync:${sku}`, actor: caller.actor, now }),
        ],
        now,
        flushAt: now + FLUSH_DELAY_MS,
      });
      this.levelPending = false;
      this.flushAt = undefined;
    }
    return this.view();
  }

  // ---- plumbing

  /** Reads expire due holds first too; the alarm then announces what that changed. */
  private read(sku: string): void {
    this.begin(sku, Date.now());
    this.scheduleAlarm();
  }

  /** Loads (or starts) the state and expires due holds, so no operation ever sees a hold past its time. */
  private begin(sku: string, now: number): StockState {
    if (!this.state) this.state = rules.emptyState(sku);
    else if (this.state.sku !== sku) throw new Error(`this object holds ${this.state.sku}, not ${sku}`);
    const due = this.nextExpiry();
    if (due !== null && due <= now) this.expire(this.state, now);
    return this.state!;
  }

  private expire(state: StockState, now: number): void {
    const change = rules.expireDue(state, this.store.dueHolds(now), now);
    this.expiryAt = undefined;
    if (change) this.write(state, change, { correlationId: `expiry:${state.sku}:${now}`, actor: SYSTEM_EXPIRY }, now);
  }

  /** Stores a change with its movements, alerts and (unless one is pending) a level announcement, in one transaction. */
  private write(
    before: StockState,
    change: Change,
    caller: Caller & { correlationId: string },
    now: number,
    operation?: { id: string; result: unknown },
  ): void {
    const ctx = { correlationId: caller.correlationId, actor: caller.actor, now };
    const level = change.movements.length > 0 && !this.levelPending ? ctx : undefined;
    const alerts = alertEvents(before, change.state, ctx);
    this.store.apply(before, change, { events: alerts, level, operation, now, flushAt: now + FLUSH_DELAY_MS });
    this.state = change.state;
    this.ledgerSeq += change.movements.length;
    if (level) this.levelPending = true;
    this.holdsChanged(change.holds, change.forget.length > 0);
    if ((level || alerts.length > 0) && this.flushAt !== undefined) this.flushAt = Math.min(this.flushAt ?? Infinity, now + FLUSH_DELAY_MS);
    if (change.movements.length > 0) broadcast(this.ctx, () => ({ type: "level", level: this.view() }));
  }

  private nextExpiry(): number | null {
    if (this.expiryAt === undefined) this.expiryAt = this.store.nextExpiry();
    return this.expiryAt;
  }

  private nextFlush(): number | null {
    if (this.flushAt === undefined) this.flushAt = this.store.nextFlush();
    return this.flushAt;
  }

  /** A new hold can only bring the earliest expiry forward; after any other hold change it is asked again (early is harmless). */
  private holdsChanged(holds: readonly Hold[], forgot: boolean): void {
    const onlyNew = !forgot && holds.every((h) => h.status === "held" && h.createdAt === h.updatedAt);
    if (!onlyNew || this.expiryAt === undefined) this.expiryAt = undefined;
    else for (const h of holds) this.expiryAt = Math.min(this.expiryAt ?? Infinity, h.expiresAt);
  }

  private scheduleAlarm(): void {
    const candidates = [this.nextExpiry(), this.nextFlush()].filter((t): t is number => t !== null);
    if (candidates.length === 0) return;
    const want = Math.min(...candidates);
    // An alarm already set earlier runs, finds nothing due, and sets the right one.
    if (this.alarmAt !== null && this.alarmAt <= want) return;
    this.alarmAt = want;
    this.ctx.storage
      .setAlarm(want)
      .catch((err: unknown) => log.error("inventory.alarm_not_set", { sku: this.state?.sku, ...errorFields(err) }));
  }

  private view(): StockView {
    return stockView(this.state, this.store.liveHolds().count, this.nextExpiry());
  }

  private holdView(h: Hold): HoldView {
    return holdView(this.state?.sku ?? "", h, Date.now());
  }

  // ---- live view (live.ts)

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const sku = new URL(request.url).searchParams.get("sku");
    if (!sku) return new Response("missing sku", { status: 400 });
    this.begin(sku, Date.now());
    return acceptLive(this.ctx, { type: "level", level: this.view() });
  }

  override async webSocketMessage(ws: WebSocket): Promise<void> {
    if (this.state) this.begin(this.state.sku, Date.now());
    ws.send(JSON.stringify({ type: "level", level: this.view() }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 ? 1000 : code, "closing");
  }
}
