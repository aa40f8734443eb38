/**
 * The Inventory object's one alarm, at the earliest of the next hold expiry
 * and the next outbox flush. Both times are cached (undefined: ask the
 * store), so keeping the alarm right costs no query after most operations;
 * a change that may move one of them forgets it or brings it forward.
 */
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Hold } from "./stock.ts";
import type { StockStore } from "./store.ts";

export class AlarmSchedule {
  private alarmAt: number | null = null;
  /** Cached earliest expiry of a held hold and earliest outbox flush; undefined means "ask the store". */
  private expiryAt: number | null | undefined;
  private flushAt: number | null | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: StockStore,
    /** The SKU the object holds, for the log. */
    private readonly sku: () => string | undefined,
  ) {}

  /** Reads the alarm already set (when the object starts). */
  async load(): Promise<void> {
    this.alarmAt = await this.storage.getAlarm();
  }

  /** The alarm is running: none is set any more. */
  rang(): void {
    this.alarmAt = null;
  }

  nextExpiry(): number | null {
    if (this.expiryAt === undefined) this.expiryAt = this.store.nextExpiry();
    return this.expiryAt;
  }

  private nextFlush(): number | null {
    if (this.flushAt === undefined) this.flushAt = this.store.nextFlush();
    return this.flushAt;
  }

  /** Holds expired: the next expiry is asked again. */
  forgetExpiry(): void {
    this.expiryAt = undefined;
  }

  /** The outbox changed in a way only the store knows: the next flush is asked again. */
  forgetFlush(): void {
    this.flushAt = undefined;
  }

  /** Something to publish was written: the flush comes no later than `at` (unless the store is asked anyway). */
  flushBy(at: number): void {
    if (this.flushAt !== undefined) this.flushAt = Math.min(this.flushAt ?? Infinity, at);
  }

  /** A new hold can only bring the earliest expiry forward; after any other hold change it is asked again (early is harmless). */
  holdsChanged(holds: readonly Hold[], forgot: boolean): void {
    const onlyNew = !forgot && holds.every((h) => h.status === "held" && h.createdAt === h.updatedAt);
    if (!onlyNew || this.expiryAt === undefined) this.expiryAt = undefined;
    else for (const h of holds) this.expiryAt = Math.min(this.expiryAt ?? Infinity, h.expiresAt);
  }

  /** Sets the alarm at the earliest time something is due, unless one is already set at or before it. */
  schedule(): void {
    const candidates = [this.nextExpiry(), this.nextFlush()].filter((t): t is number => t !== null);
    if (candidates.length === 0) return;
    const want = Math.min(...candidates);
    // An alarm already set earlier runs, finds nothing due, and sets the right one.
    if (this.alarmAt !== null && this.alarmAt <= want) return;
    this.alarmAt = want;
    this.storage.setAlarm(want).catch((err: unknown) => log.error("inventory.alarm_not_set", { sku: this.sku(), ...errorFields(err) }));
  }
}
