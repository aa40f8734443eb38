/**
 * One Reservation object per multi-line reservation: the single writer of
 * its lifecycle. It takes the lines from the SKUs' Inventory objects in a
 * fixed order and releases what it took when a line is refused (all or
 * nothing); commits in two steps (pin every line, so none can expire, then
 * sell every line), so a sale never happens half way. A reservation is
 * written once its outcome is known; a commit or release is written before
 * it starts, and the alarm finishes one a crash interrupted.
 * Calls for one reservation are queued: the object's own requests to the SKU
 * objects would otherwise let a second call in half way.
 */
import { DurableObject } from "cloudflare:workers";
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
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { firstFault } from "./fault-point.ts";
import type { Inventory } from "./inventory.ts";
import {
  canCommit,
  canRelease,
  isFinal,
  type Line,
  normalizeLines,
  type ReservationRecord,
  sameLines,
  statusAt,
} from "./reservation-rules.ts";
import { type ReservationResult, type ReservationView, type ReserveLinesInput, view } from "./reservation-view.ts";
import type { HoldResult, ReserveResult } from "./types.ts";

export type { ReservationResult, ReservationView } from "./reservation-view.ts";

/** How long a finished reservation is remembered for idempotent repeats. */
export const RESERVATION_RETENTION_MS = 7 * 24 * 3600_000;
/** When a step in flight is looked at again if nobody finished it. */
const RETRY_MS = 10_000;
const KEY = "reservation";
/** A reservation's state of record for backups: its one record. */
const SNAPSHOT_SHAPE: SnapshotShape = { tables: [], kv: [KEY] };
/** However often it is extended, a reservation ends at most this long after it was made. */
export const MAX_LIFETIME_MS = 24 * 3600_000;

class StepFailed extends Error {}

const refusalDetail = (r: ReservationRecord) =>
  r.refusal ? `only ${r.refusal.available} of ${r.refusal.sku} available, ${r.refusal.requested} requested` : "refused";

/** The envelope fields a line's call passes on: the reservation's correlation id and the trace that caused the call. */
const traceOf = (rec: ReservationRecord, traceparent = rec.traceparent) => ({
  correlationId: rec.correlationId,
  ...(traceparent ? { traceparent } : {}),
});

export class Reservation extends DurableObject<CloudflareEnv> {
  /** The ports: the SKUs' Inventory objects and the fault points' config. */
  private readonly rt: Runtime;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: CloudflareEnv) {
    super(ctx, env);
    this.rt = cloudflareRuntime(env);
  }

  reserve(input: ReserveLinesInput): Promise<ReservationResult> {
    return this.serial(async () => {
      const now = Date.now();
      const lines = normalizeLines(input.lines);
      const prior = this.load();
      if (prior && (prior.owner.id !== input.owner.id || !sameLines(prior.lines, lines)))
        return this.fail("IDEMPOTENCY_MISMATCH", "this reservation id was used for another request", null);
      if (prior?.status === "refused") return this.fail("INSUFFICIENT_STOCK", refusalDetail(prior), prior);
      if (prior && prior.status !== "failed") return { ok: true, reservation: view(prior, now), replayed: true };
      // Nothing is written until the outcome is known: an attempt cut short leaves holds that lapse at
      // their expiry, or that a repeat with the same id takes over (each line's hold is idempotent on the id).
      let rec: ReservationRecord = {
        reservationId: input.reservationId,
        owner: input.owner,
        lines,
        ttlMs: input.ttlMs,
        expiresAt: now + input.ttlMs,
        status: "held",
        refusal: null,
        correlationId: input.correlationId,
        ...(input.traceparent ? { traceparent: input.traceparent } : {}),
        createdAt: prior?.createdAt ?? now,
        updatedAt: now,
      };
      let expiresAt = rec.expiresAt;
      const failing = await firstFault(
        this.rt,
        "reservation:line",
        lines.map((l) => l.sku),
      );
      for (const [i, line] of lines.entries()) {
        let result: ReserveResult;
        try {
          if (line.sku === failing) throw new Error(`injected fault at reservation:line for ${line.sku}`);
          result = await this.takeLine(rec, line);
        } catch (err) {
          log.warn("reservation.line_failed", { reservationId: rec.reservationId, sku: line.sku, ...errorFields(err) });
          await this.rollback(rec, true, i + 1);
          await this.save({ ...rec, status: "failed", updatedAt: Date.now() }, Date.now() + RESERVATION_RETENTION_MS);
          return this.fail("DEPENDENCY_UNAVAILABLE", `the stock of ${line.sku} could not be reached; try again with the same id`, null);
        }
        if (result.ok) {
          // A line taken over from an earlier attempt keeps its expiry: the reservation ends with its earliest line.
          expiresAt = Math.min(expiresAt, Date.parse(result.hold.expiresAt));
          continue;
        }
        // Refused: give back the lines already held, so nothing is held at all.
        await this.rollback(rec, true, i);
        const refusal = { sku: line.sku, requested: line.quantity, available: result.code === "INSUFFICIENT_STOCK" ? result.available : 0 };
        rec = { ...rec, status: "refused", refusal, updatedAt: Date.now() };
        await this.save(rec, rec.updatedAt + RESERVATION_RETENTION_MS);
        return this.fail("INSUFFICIENT_STOCK", refusalDetail(rec), rec);
      }
      rec = { ...rec, expiresAt, updatedAt: Date.now() };
      await this.save(rec, rec.expiresAt);
      return { ok: true, reservation: view(rec, Date.now()), replayed: false };
    });
  }

  /** `traceparent`: the committing request's, when traced (else the reserving one's). */
  commit(actor: Actor, traceparent?: string): Promise<ReservationResult> {
    return this.serial(() => this.finishCommit(actor, traceparent));
  }

  release(actor: Actor, reason?: string, traceparent?: string): Promise<ReservationResult> {
    return this.serial(() => this.finishRelease(actor, reason, traceparent));
  }

  extend(ttlMs: number, actor: Actor): Promise<ReservationResult> {
    return this.serial(async () => {
      const rec = this.load();
      if (!rec) return this.fail("RESERVATION_NOT_FOUND", "no such reservation", null);
      const now = Date.now();
      if (statusAt(rec, now) !== "held")
        return this.fail(
          statusAt(rec, now) === "expired" ? "RESERVATION_EXPIRED" : "RESERVATION_NOT_HELD",
          `the reservation is ${statusAt(rec, now)}`,
          rec,
        );
      // Extensions move the end later, never past a day after the reservation was made.
      const expiresAt = Math.max(rec.expiresAt, Math.min(now + ttlMs, rec.createdAt + MAX_LIFETIME_MS));
      if (expiresAt === rec.expiresAt) return { ok: true, reservation: view(rec, now), replayed: true };
      try {
        const results = await this.eachLine(rec, (line) =>
          this.sku(line.sku).extend({ sku: line.sku, reservationId: rec.reservationId, expiresAt, actor }),
        );
        if (results.some((r) => !r.ok)) {
          // A line expired under us: the reservation as a whole is gone.
          const expired = { ...rec, status: "expired" as const, updatedAt: Date.now() };
          await this.rollback(rec, false);
          await this.save(expired, expired.updatedAt + RESERVATION_RETENTION_MS);
          return this.fail("RESERVATION_EXPIRED", "a line of the reservation expired", expired);
        }
      } catch (err) {
        return this.fail("DEPENDENCY_UNAVAILABLE", `the reservation could not be extended: ${String(err)}`, rec);
      }
      const next = { ...rec, expiresAt, updatedAt: Date.now() };
      await this.save(next, expiresAt);
      return { ok: true, reservation: view(next, Date.now()), replayed: false };
    });
  }

  async get(): Promise<ReservationView | null> {
    const rec = this.load();
    return rec ? view(rec, Date.now()) : null;
  }

  // ---- backup and restore

  exportSnapshotPage(cursor: SnapshotCursor | null, pageRows: number): Promise<SnapshotPage> {
    return this.serial(async () => exportObjectPage(this.ctx.storage, SNAPSHOT_SHAPE, cursor, pageRows));
  }

  /** Replaces the record with a snapshot's; the alarm, due at once, finishes or schedules what the record asks for. */
  importSnapshot(snapshot: ObjectSnapshot): Promise<ReservationView | null> {
    return this.serial(async () => {
      importObjectState(this.ctx.storage, SNAPSHOT_SHAPE, snapshot);
      const rec = this.load();
      if (rec) await this.ctx.storage.setAlarm(Date.now());
      else await this.ctx.storage.deleteAlarm();
      return rec ? view(rec, Date.now()) : null;
    });
  }

  /** Finishes what a crash interrupted, records expiry, and forgets the reservation after retention. */
  override async alarm(): Promise<void> {
    await this.serial(async () => {
      const rec = this.load();
      if (!rec) return;
      const now = Date.now();
      const status = statusAt(rec, now);
      if (status === "committing") await this.finishCommit(rec.owner);
      else if (status === "releasing") await this.finishRelease(rec.owner);
      else if (status === "expired" && rec.status === "held")
        await this.save({ ...rec, status: "expired", updatedAt: now }, now + RESERVATION_RETENTION_MS);
      else if (isFinal(status) && rec.updatedAt + RESERVATION_RETENTION_MS <= now) await this.ctx.storage.deleteAll();
      else await this.ctx.storage.setAlarm(isFinal(status) ? rec.updatedAt + RESERVATION_RETENTION_MS : rec.expiresAt);
    });
  }

  // ---- steps

  private async finishCommit(actor: Actor, traceparent?: string): Promise<ReservationResult> {
    const rec = this.load();
    if (!rec) return this.fail("RESERVATION_NOT_FOUND", "no such reservation", null);
    const decision = canCommit(rec, Date.now());
    if (!decision.go) {
      if (decision.code === "ALREADY_COMMITTED") return { ok: true, reservation: view(rec, Date.now()), replayed: true };
      return this.fail(decision.code, `the reservation is ${statusAt(rec, Date.now())}`, rec);
    }
    const committing = { ...rec, status: "committing" as const, updatedAt: Date.now() };
    await this.save(committing, Date.now() + RETRY_MS);
    try {
      const pinned = await this.eachLine(rec, (line) => this.sku(line.sku).pin({ sku: line.sku, reservationId: rec.reservationId, actor }));
      if (pinned.some((r) => !r.ok)) {
        // A line expired before it was pinned: nothing was sold; give back the others.
        await this.rollback(rec, false);
        const expired = { ...rec, status: "expired" as const, updatedAt: Date.now() };
        await this.save(expired, expired.updatedAt + RESERVATION_RETENTION_MS);
        return this.fail("RESERVATION_EXPIRED", "a line of the reservation expired before the commit", expired);
      }
      const sold = await this.eachLine(rec, (line) =>
        this.sku(line.sku).commit({ sku: line.sku, reservationId: rec.reservationId, actor, ...traceOf(rec, traceparent) }),
      );
      if (sold.some((r) => !r.ok)) throw new StepFailed(`a pinned line refused its sale: ${JSON.stringify(sold.filter((r) => !r.ok))}`);
    } catch (err) {
      // Stays `committing`; the alarm tries again (every step is idempotent).
      log.error("reservation.commit_interrupted", { reservationId: rec.reservationId, ...errorFields(err) });
      return this.fail("DEPENDENCY_UNAVAILABLE", "the commit is in progress and will be finished", committing);
    }
    const done = { ...rec, status: "committed" as const, updatedAt: Date.now() };
    await this.save(done, done.updatedAt + RESERVATION_RETENTION_MS);
    return { ok: true, reservation: view(done, Date.now()), replayed: false };
  }

  private async finishRelease(actor: Actor, reason?: string, traceparent?: string): Promise<ReservationResult> {
    const rec = this.load();
    if (!rec) return this.fail("RESERVATION_NOT_FOUND", "no such reservation", null);
    const decision = canRelease(rec, Date.now());
    if (!decision.go) {
      if (decision.code === "NOTHING_HELD") return { ok: true, reservation: view(rec, Date.now()), replayed: true };
      return this.fail(decision.code, "the reservation is committed", rec);
    }
    const releasing = { ...rec, status: "releasing" as const, updatedAt: Date.now() };
    await this.save(releasing, Date.now() + RETRY_MS);
    try {
      await this.eachLine(rec, (line) =>
        this.sku(line.sku).release({ sku: line.sku, reservationId: rec.reservationId, actor, reason, ...traceOf(rec, traceparent) }),
      );
    } catch (err) {
      return this.fail("DEPENDENCY_UNAVAILABLE", `the release is in progress and will be finished: ${String(err)}`, releasing);
    }
    const done = { ...rec, status: "released" as const, updatedAt: Date.now() };
    await this.save(done, done.updatedAt + RESERVATION_RETENTION_MS);
    return { ok: true, reservation: view(done, Date.now()), replayed: false };
  }

  /** Gives back the first `upTo` lines; `forget` lets the same id take them again later. Best effort: holds lapse anyway. */
  private async rollback(rec: ReservationRecord, forget: boolean, upTo = rec.lines.length): Promise<void> {
    for (const line of rec.lines.slice(0, upTo)) {
      try {
        await this.sku(line.sku).release({
          sku: line.sku,
          reservationId: rec.reservationId,
          actor: rec.owner,
          reason: "rollback",
          forget,
          ...traceOf(rec),
        });
      } catch (err) {
        log.warn("reservation.rollback_failed", { reservationId: rec.reservationId, sku: line.sku, ...errorFields(err) });
      }
    }
  }

  /** Holds one line; a hold of this id that an unfinished attempt left closed is forgotten and taken again. */
  private async takeLine(rec: ReservationRecord, line: Line) {
    const stub = this.sku(line.sku);
    const args = {
      sku: line.sku,
      reservationId: rec.reservationId,
      quantity: line.quantity,
      expiresAt: rec.expiresAt,
      actor: rec.owner,
      ...traceOf(rec),
    };
    const first = await stub.reserve(args);
    if (first.ok || (first.code !== "HOLD_EXPIRED" && first.code !== "HOLD_RELEASED")) return first;
    await stub.release({ sku: line.sku, reservationId: rec.reservationId, actor: rec.owner, reason: "retry", forget: true });
    return stub.reserve(args);
  }

  // ---- plumbing

  private async eachLine(rec: ReservationRecord, fn: (line: Line) => Promise<HoldResult>): Promise<HoldResult[]> {
    const out: HoldResult[] = [];
    for (const line of rec.lines) out.push(await fn(line));
    return out;
  }

  private sku(sku: string) {
    return this.rt.objects.get<Inventory>("INVENTORY", sku);
  }

  private load(): ReservationRecord | null {
    return this.ctx.storage.kv.get<ReservationRecord>(KEY) ?? null;
  }

  /** The record and the alarm that looks at it next, in one write. */
  private async save(rec: ReservationRecord, alarmAt: number): Promise<void> {
    this.ctx.storage.kv.put(KEY, rec);
    await this.ctx.storage.setAlarm(alarmAt);
  }

  private fail(code: string, detail: string, rec: ReservationRecord | null): ReservationResult {
    return { ok: false, code, detail, reservation: rec ? view(rec, Date.now()) : null };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
