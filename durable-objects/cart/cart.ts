/**
 * One Cart object per cart (a user's: idFromName(`user:<id>`); a guest's:
 * idFromName(`guest:<cookie token>`)) is the single writer of its lines.
 * Operations run one at a time, from reading the cart through asking the
 * SKU's inventory object to writing the result, so edits from two devices
 * never interleave. A change and its events are one SQLite transaction; the
 * alarm publishes the events (the object's own outbox) and expires the cart
 * after its idle time, announcing CartAbandoned.
 *
 * The cart does not hold stock: a hold per cart line would lock units away
 * for days in carts that are never bought (most are not). Adding checks what
 * is available now; checkout reserves, all or nothing, for minutes.
 */
import { DurableObject } from "cloudflare:workers";
import { getAvailability } from "../../workers/inventory/index.ts";
import {
  exportObjectPage,
  importObjectState,
  type ObjectSnapshot,
  type SnapshotCursor,
  type SnapshotPage,
  type SnapshotShape,
} from "../../workers/platform/cloudflare/object-snapshot.ts";
import { type CloudflareEnv, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import type { Actor } from "../../workers/platform/event-envelope.ts";
import { newId } from "../../workers/platform/ids.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import type { CartEffect, CartLimits, CartLine, CartState, MergeAdjustment, Price, Refusal } from "./cart-rules.ts";
import * as rules from "./cart-rules.ts";
import { cartConfig } from "./config.ts";
import { abandonedEvent, effectEvents } from "./events.ts";
import { type GuestContact, withContact } from "./guest-contact.ts";
import { publishCartOutbox } from "./outbox.ts";
import { addCode, codesOf, dropCodes, mergeCodes, removeCode } from "./promotion-codes.ts";
import { CartStore } from "./store.ts";

export interface CartCaller {
  /** The signed-in user the cart belongs to, or null for a guest cart. */
  userId: string | null;
  actor: Actor | null;
  correlationId: string;
  /** The request's W3C traceparent (tracing on): the events of this change carry it across the queue hop. */
  traceparent?: string;
}

export interface CartSnapshot {
  /** Null until the first line is added (and again after the cart expired). */
  cartId: string | null;
  lines: CartLine[];
  /** The promotion codes applied to the cart (whether they apply is decided when it is shown and at checkout). */
  promotionCodes: string[];
  version: number;
  lastActivityAt: string | null;
  expiresAt: string | null;
}

export type CartResult =
  | {
      ok: true;
      cart: CartSnapshot;
      replayed?: boolean;
      adjustments?: MergeAdjustment[];
      /** What the operation read from the SKUs' inventory objects, so the answer need not ask them again. */
      available?: Record<string, number>;
    }
  | Refusal;

type Change = { state: CartState; effects: CartEffect[] };

/** A cart's state of record for backups: the cart row and its unpublished events. */
const SNAPSHOT_SHAPE: SnapshotShape = { tables: ["cart", "outbox"], kv: [] };

export class Cart extends DurableObject<CloudflareEnv> {
  /** The ports: the SKUs' inventory objects, the queues of the outbox, the cart settings. */
  private readonly rt: Runtime;
  private store: CartStore;
  private state: CartState | null;
  private alarmAt: number | null = null;
  /** The tail of the queue of operations: each waits for the previous one to finish, awaits included. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: CloudflareEnv) {
    super(ctx, env);
    this.rt = cloudflareRuntime(env);
    this.store = new CartStore(ctx.storage);
    this.state = this.store.load();
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ---- backup and restore

  /** The cart and its unpublished events, as one consistent snapshot. */
  exportSnapshotPage(cursor: SnapshotCursor | null, pageRows: number): Promise<SnapshotPage> {
    return this.serial(async () => exportObjectPage(this.ctx.storage, SNAPSHOT_SHAPE, cursor, pageRows));
  }

  /** Replaces the cart with a snapshot's; the alarm then publishes what its outbox held and keeps the idle expiry. */
  importSnapshot(snapshot: ObjectSnapshot): Promise<CartSnapshot> {
    return this.serial(async () => {
      importObjectState(this.ctx.storage, SNAPSHOT_SHAPE, snapshot);
      this.state = this.store.load();
      this.alarmAt = null;
      this.scheduleAlarm();
      return this.view();
    });
  }

  // ---- operations

  snapshot(): Promise<CartSnapshot> {
    return this.serial(async () => {
      this.expireIfIdle(Date.now());
      return this.view();
    });
  }

  add(input: { sku: string; quantity: number; price: Price; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => {
      const available = await this.available(input.sku);
      const result = this.change(input.caller, (state, now) => rules.addItem(state, { ...input, available }, this.limits(), now));
      return result.ok ? { ...result, available: { [input.sku]: available } } : result;
    });
  }

  update(input: { sku: string; quantity: number; price: Price; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => {
      const line = this.current()?.lines.find((l) => l.sku === input.sku);
      // Availability matters only when the quantity goes up.
      const checked = line !== undefined && input.quantity > line.quantity;
      const available = checked ? await this.available(input.sku) : Number.MAX_SAFE_INTEGER;
      const result = this.change(input.caller, (state, now) => rules.setQuantity(state, { ...input, available }, this.limits(), now));
      return result.ok && checked ? { ...result, available: { [input.sku]: available } } : result;
    });
  }

  remove(input: { sku: string; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => this.change(input.caller, (state, now) => rules.removeItem(state, input.sku, now)));
  }

  /** Removes the lines of these SKUs, if present, in one change (the ordered lines after checkout), and the codes the order used. */
  removeLines(input: { skus: string[]; caller: CartCaller; promotionCodes?: string[] }): Promise<CartResult> {
    return this.serial(async () =>
      this.change(input.caller, (state, now) => {
        const removed = rules.removeLines(state, input.skus, now);
        return { ok: true, effects: removed.effects, state: dropCodes(removed.state, input.promotionCodes ?? [], now) };
      }),
    );
  }

  /** Puts a promotion code on the cart (the route checked that it applies to the cart now). */
  addPromotionCode(input: { code: string; maxCodes: number; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => this.change(input.caller, (state, now) => addCode(state, input.code, input.maxCodes, now)));
  }

  removePromotionCode(input: { code: string; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => this.change(input.caller, (state, now) => removeCode(state, input.code, now)));
  }

  /** Sets (or, with null, removes) a guest cart's reminder address; the route checked the caller is a guest. */
  setContact(input: { contact: GuestContact | null; caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () =>
      this.change(input.caller, (state, now) => ({ ok: true, state: withContact(state, input.contact, now), effects: [] })),
    );
  }

  clear(input: { caller: CartCaller }): Promise<CartResult> {
    return this.serial(async () => this.change(input.caller, (state, now) => ({ ok: true, ...rules.clearCart(state, now) })));
  }

  /** Merges a guest cart's lines (idempotent on the source cart id), capped by the limits and availability. */
  mergeFrom(input: {
    sourceCartId: string;
    lines: CartLine[];
    /** The source cart's promotion codes, kept after this cart's own up to `maxCodes`. */
    promotionCodes?: { codes: string[]; maxCodes: number };
    caller: CartCaller;
  }): Promise<CartResult> {
    return this.serial(async () => {
      if (this.current()?.merged.includes(input.sourceCartId)) return { ok: true, cart: this.view(), replayed: true, adjustments: [] };
      const skus = [...new Set(input.lines.map((l) => l.sku))];
      const available = new Map(await Promise.all(skus.map(async (s) => [s, await this.available(s)] as const)));
      let adjustments: MergeAdjustment[] = [];
      const result = this.change(input.caller, (state, now) => {
        const merged = rules.mergeLines(state, input.sourceCartId, input.lines, available, this.limits(), now);
        adjustments = merged.adjustments;
        const codes = input.promotionCodes;
        const withCodes = codes ? mergeCodes(merged.state, codes.codes, codes.maxCodes, now) : merged.state;
        return { ok: true, state: withCodes, effects: merged.effects };
      });
      return result.ok ? { ...result, adjustments, available: Object.fromEntries(available) } : result;
    });
  }

  /** Ends a guest cart whose lines moved into a user's cart: no events (nothing was removed), no expiry. */
  retire(): Promise<CartSnapshot> {
    return this.serial(async () => {
      if (this.state) {
        this.store.save(null, [], Date.now());
        this.state = null;
      }
      return this.view();
    });
  }

  /** Outbox entries not yet published (tests and operators). */
  async pendingEvents(): Promise<number> {
    return this.store.outboxSize();
  }

  // ---- the alarm: expiry, outbox flush, cleanup

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    await this.serial(async () => {
      this.expireIfIdle(Date.now());
      await publishCartOutbox(this.rt, this.store, this.ctx.id.toString(), Date.now());
      if (!this.state && this.store.outboxSize() === 0) {
        // Nothing left to keep: free the object's storage (a fresh schema for whatever comes next).
        await this.ctx.storage.deleteAll();
        this.store = new CartStore(this.ctx.storage);
        return;
      }
      this.scheduleAlarm();
    });
  }

  // ---- plumbing

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.tail.then(op, op);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private limits(): CartLimits {
    const config = cartConfig.read(this.rt);
    return { maxLines: config.CART_MAX_LINES, maxQuantityPerLine: config.CART_MAX_QUANTITY };
  }

  private idleTtlMs(): number {
    return cartConfig.read(this.rt).CART_IDLE_TTL_SECONDS * 1000;
  }

  private async available(sku: string): Promise<number> {
    return (await getAvailability(this.rt, sku)).available;
  }

  /** The cart as it stands, once an idle one has expired (so a late alarm never shows an expired cart). */
  private current(): CartState | null {
    this.expireIfIdle(Date.now());
    return this.state;
  }

  private change(caller: CartCaller, op: (state: CartState, now: number) => rules.Outcome): CartResult {
    const now = Date.now();
    const before = this.current() ?? rules.emptyCart(newId("crt"), caller.userId, now);
    const outcome = op(before, now);
    if (!outcome.ok) return outcome;
    if (outcome.state !== before) this.write(outcome, caller, now);
    return { ok: true, cart: this.view() };
  }

  private write(change: Change, caller: CartCaller, now: number): void {
    const events = effectEvents(change.state.cartId, change.effects, {
      correlationId: caller.correlationId,
      actor: caller.actor,
      now,
      traceparent: caller.traceparent,
    });
    this.store.save(change.state, events, now);
    this.state = change.state;
    this.scheduleAlarm();
  }

  private expireIfIdle(now: number): void {
    const state = this.state;
    if (!state || !rules.isIdle(state, this.idleTtlMs(), now)) return;
    this.store.save(null, state.lines.length > 0 ? [abandonedEvent(state, now)] : [], now);
    this.state = null;
    log.info("cart.expired", { cartId: state.cartId, lines: state.lines.length });
    this.scheduleAlarm();
  }

  /** One alarm, at the earliest of the next outbox flush and the idle expiry. */
  private scheduleAlarm(): void {
    const candidates = [this.store.nextFlush(), this.state ? rules.idleExpiry(this.state, this.idleTtlMs()) : null].filter(
      (t): t is number => t !== null,
    );
    if (candidates.length === 0) return;
    const want = Math.min(...candidates);
    // An alarm already set earlier runs, finds nothing due, and sets the right one.
    if (this.alarmAt !== null && this.alarmAt <= want) return;
    this.alarmAt = want;
    this.ctx.storage
      .setAlarm(want)
      .catch((err: unknown) => log.error("cart.alarm_not_set", { cartId: this.state?.cartId, ...errorFields(err) }));
  }

  private view(): CartSnapshot {
    const s = this.state;
    if (!s) return { cartId: null, lines: [], promotionCodes: [], version: 0, lastActivityAt: null, expiresAt: null };
    return {
      cartId: s.cartId,
      lines: s.lines,
      promotionCodes: codesOf(s),
      version: s.version,
      lastActivityAt: new Date(s.lastActivityAt).toISOString(),
      expiresAt: new Date(rules.idleExpiry(s, this.idleTtlMs())).toISOString(),
    };
  }
}
