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
 *
 * This class is the object's face: its RPC methods, its alarm and its live
 * view. The stock in memory and the write path are in writer.ts, the alarm's
 * timing in alarm-schedule.ts, the rules in stock.ts and holds.ts.
 */
import { DurableObject } from "cloudflare:workers";
import {
  appendObjectRows,
  exportObjectPage,
  importObjectState,
  type ObjectSnapshot,
  type SnapshotCursor,
  type SnapshotPage,
  type SnapshotShape,
} from "../../workers/platform/cloudflare/object-snapshot.ts";
import { type CloudflareEnv, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { GroupCommit } from "./group-commit.ts";
import * as holds from "./holds.ts";
import { acceptLive } from "./live.ts";
import { publishOutbox } from "./outbox.ts";
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
import { holdView } from "./views.ts";
import { StockWriter } from "./writer.ts";

/** Closed holds and operation records are kept this long for idempotent replays. */
export const RETENTION_MS = 7 * 24 * 3600_000;
const MAX_TTL_MS = 24 * 3600_000;

/** The state of record a backup takes; live_holds is left out, as its triggers rebuild it from the holds. */
// The ledger only ever gains rows (it keeps the whole history), so a long one travels in pages.
const SNAPSHOT_SHAPE: SnapshotShape = { tables: ["stock", "holds", "ledger", "operations", "outbox"], appendOnly: ["ledger"], kv: [] };

const actorString = (c: Caller) => `${c.actor.type}:${c.actor.id}`;

type Outcome<O> = { outcome: O; change: Change | null };

export class Inventory extends DurableObject<CloudflareEnv> {
  /** The ports (queues, config) the object's outbox and fault points use. */
  private readonly rt: Runtime;
  private readonly store: StockStore;
  /** The stock in memory and the one way a change is stored. */
  private writer: StockWriter;
  private readonly group: GroupCommit;

  constructor(ctx: DurableObjectState, env: CloudflareEnv) {
    super(ctx, env);
    this.rt = cloudflareRuntime(env);
    this.store = new StockStore(ctx.storage);
    this.group = new GroupCommit(ctx.storage, () => this.writer.alarm.schedule());
    this.writer = new StockWriter(ctx, this.store);
    this.writer.audit();
    void ctx.blockConcurrencyWhile(() => this.writer.alarm.load());
  }

  // ---- holds

  reserve(input: ReserveInput): Promise<ReserveResult> {
    return this.group.run(() => {
      const now = Date.now();
      const state = this.writer.begin(input.sku, now);
      const expiresAt = input.expiresAt ?? now + (input.ttlMs ?? 0);
      if (!Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + MAX_TTL_MS)
        throw new RangeError("a hold must expire within 24 hours from now");
      const { outcome, change } = holds.reserve(
        state,
        this.store.hold(input.reservationId),
        { reservationId: input.reservationId, quantity: input.quantity, expiresAt, actor: actorString(input) },
        now,
      );
      if (change) this.writer.write(state, change, { ...input, correlationId: input.correlationId ?? input.reservationId }, now);
      switch (outcome.kind) {
        case "held":
          return {
            ok: true,
            hold: this.writer.holdView(outcome.hold),
            replayed: outcome.replayed,
            available: rules.available(this.writer.state!),
          };
        case "refused":
          return { ok: false, code: "INSUFFICIENT_STOCK", available: outcome.available };
        case "mismatch":
          return { ok: false, code: "RESERVATION_MISMATCH", hold: this.writer.holdView(outcome.hold) };
        case "closed":
          return { ok: false, code: refusalCode(outcome.status), hold: this.writer.holdView(outcome.hold) };
      }
    });
  }

  commit(input: HoldInput): Promise<HoldResult> {
    return this.holdOperation(input, (state, hold, now) =>
      holds.commit(state, hold, { actor: actorString(input), reason: input.reason ?? null }, now),
    );
  }

  release(input: HoldInput & { forget?: boolean }): Promise<HoldResult> {
    return this.holdOperation(input, (state, hold, now) =>
      holds.release(state, hold, { actor: actorString(input), reason: input.reason ?? null, forget: input.forget }, now),
    );
  }

  pin(input: HoldInput): Promise<HoldResult> {
    return this.holdOperation(input, (_state, hold, now) => holds.pin(hold, now));
  }

  extend(input: HoldInput & { ttlMs?: number; expiresAt?: number }): Promise<HoldResult> {
    return this.holdOperation(input, (_state, hold, now) => {
      const until = input.expiresAt ?? now + (input.ttlMs ?? 0);
      if (!Number.isSafeInteger(until) || until <= now || until > now + MAX_TTL_MS)
        throw new RangeError("a hold must expire within 24 hours from now");
      return holds.extend(hold, until, now);
    });
  }

  async hold(sku: string, reservationId: string): Promise<HoldView | null> {
    this.writer.read(sku);
    const hold = this.store.hold(reservationId);
    return hold ? this.writer.holdView(hold) : null;
  }

  /** A page of the SKU's live holds with who placed each (staff's view of the reserved figure). */
  async liveHolds(sku: string, opts: { after: [number, string] | null; limit: number }): Promise<(HoldView & { actor: string })[]> {
    this.writer.read(sku);
    const now = Date.now();
    return this.store.liveHoldsPage(now, opts.after, opts.limit).map((h) => ({ ...holdView(sku, h, now), actor: h.actor }));
  }

  // ---- stock movements

  /** The opening balance of a SKU that never had stock; for one that has, re-announces its level instead. */
  openBalance(input: OperationInput & { onHand: number; settings?: SettingsPatch }): Promise<StockResult> {
    return this.group.run((): StockResult => {
      const now = Date.now();
      const state = this.writer.begin(input.sku, now);
      if (state.initialized) {
        // Bootstrapping a SKU that already has stock: its stock stays, and the projection hears its level again.
        this.writer.announce(input.sku, input, now);
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
    return this.group.run(() => this.writer.announce(input.sku, input, Date.now()));
  }

  // ---- reads

  async level(sku: string): Promise<StockView> {
    this.writer.read(sku);
    return this.writer.view();
  }

  async ledger(
    sku: string,
    opts: { beforeSeq?: number; afterSeq?: number; limit: number; order?: "asc" | "desc" },
  ): Promise<LedgerEntry[]> {
    this.writer.read(sku);
    return this.store.ledger({ ...opts, order: opts.order ?? "desc" }).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /** Outbox entries not yet published (tests and operators). */
  async pendingEvents(): Promise<number> {
    return this.store.outboxSize();
  }

  // ---- backup and restore

  /**
   * The SKU's stock, holds, operation records and unpublished events (the first page, with no cursor), and its
   * ledger `pageRows` movements a page: the pages together are the SKU as it stood at the first page.
   */
  exportSnapshotPage(cursor: SnapshotCursor | null, pageRows: number): Promise<SnapshotPage> {
    return this.group.run(() => exportObjectPage(this.ctx.storage, SNAPSHOT_SHAPE, cursor, pageRows));
  }

  /** Replaces the SKU's state with a snapshot's and reloads it; the alarm then publishes what its outbox held. */
  importSnapshot(snapshot: ObjectSnapshot): Promise<StockView> {
    return this.group.run(() => {
      importObjectState(this.ctx.storage, SNAPSHOT_SHAPE, snapshot);
      this.writer = new StockWriter(this.ctx, this.store);
      this.writer.audit();
      return this.writer.view();
    });
  }

  /** Adds a later page of ledger movements after `importSnapshot` took the first, and reloads the SKU. */
  appendSnapshotRows(snapshot: ObjectSnapshot): Promise<StockView> {
    return this.group.run(() => {
      appendObjectRows(this.ctx.storage, SNAPSHOT_SHAPE, snapshot);
      this.writer = new StockWriter(this.ctx, this.store);
      return this.writer.view();
    });
  }

  /** A call that does nothing: the baseline of the benchmarks, and a liveness probe. */
  async ping(): Promise<number> {
    return 1;
  }

  // ---- the alarm: expiry, outbox flush, housekeeping

  override async alarm(): Promise<void> {
    this.writer.alarm.rang();
    const now = Date.now();
    this.writer.beforePublish(now);
    await publishOutbox(this.rt, this.store, this.writer.state, this.writer.ledgerSeq, now);
    this.store.prune(now - RETENTION_MS);
    this.writer.audit();
    this.writer.alarm.schedule();
  }

  // ---- operations

  private holdOperation(
    input: HoldInput,
    op: (state: StockState, hold: Hold | undefined, now: number) => Outcome<holds.HoldOutcome>,
  ): Promise<HoldResult> {
    return this.group.run(() => {
      const now = Date.now();
      const state = this.writer.begin(input.sku, now);
      const { outcome, change } = op(state, this.store.hold(input.reservationId), now);
      if (change) this.writer.write(state, change, { ...input, correlationId: input.correlationId ?? input.reservationId }, now);
      else if (outcome.kind === "ok" && !outcome.replayed) {
        // A pin or an extension: the hold changes, the level does not.
        this.writer.writeHolds(state, [outcome.hold], now);
      }
      if (outcome.kind === "not_found") return { ok: false, code: "HOLD_NOT_FOUND" } as const;
      if (outcome.kind === "refused")
        return { ok: false, code: refusalCode(outcome.status), hold: this.writer.holdView(outcome.hold) } as const;
      return { ok: true, hold: this.writer.holdView(outcome.hold), replayed: outcome.replayed } as const;
    });
  }

  private stockOperation(input: OperationInput, op: (state: StockState, now: number) => Outcome<rules.StockOutcome>): Promise<StockResult> {
    return this.group.run(() => {
      const now = Date.now();
      this.writer.begin(input.sku, now);
      return this.stockNow(input, now, (s) => op(s, now));
    });
  }

  /** A staff movement, applied once per operation id (a repeat answers with the level as it is). */
  private stockNow(input: OperationInput, now: number, op: (state: StockState) => Outcome<rules.StockOutcome>): StockResult {
    const state = this.writer.state!;
    if (this.store.operation(input.operationId)) return { ok: true, replayed: true, level: this.writer.view() };
    const { outcome, change } = op(state);
    if (outcome.kind === "refused") return { ok: false, code: "STOCK_BELOW_HELD", available: outcome.available, detail: outcome.reason };
    if (change)
      this.writer.write(state, change, { ...input, correlationId: input.correlationId ?? input.operationId }, now, {
        id: input.operationId,
        result: { ok: true },
      });
    return { ok: true, replayed: false, level: this.writer.view() };
  }

  // ---- live view (live.ts)

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const sku = new URL(request.url).searchParams.get("sku");
    if (!sku) return new Response("missing sku", { status: 400 });
    this.writer.begin(sku, Date.now());
    return acceptLive(this.ctx, { type: "level", level: this.writer.view() });
  }

  override async webSocketMessage(ws: WebSocket): Promise<void> {
    if (this.writer.state) this.writer.begin(this.writer.state.sku, Date.now());
    ws.send(JSON.stringify({ type: "level", level: this.writer.view() }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 ? 1000 : code, "closing");
  }
}
