/**
 * Multi-line reservations with real objects, driven through the service
 * (which turns refusals into ApiErrors): all or nothing in a fixed order,
 * idempotent repeats (also racing), a two-step commit that never sells half
 * a reservation, and the alarm finishing what a crash left.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Reservation } from "../../durable-objects/inventory/index.ts";
import type { ReservationRecord } from "../../durable-objects/inventory/reservation-rules.ts";
import { buyer, fullLedger, openSku, ops, sleep } from "../../durable-objects/inventory/testing.ts";
import { testEnv } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { ApiError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import * as service from "./service.ts";

const reserve = (
  lines: { sku: string; quantity: number }[],
  opts: { reservationId?: string; ttlSeconds?: number; owner?: ReturnType<typeof buyer> } = {},
) =>
  service.reserveStock(testEnv, {
    reservationId: opts.reservationId,
    lines,
    ttlSeconds: opts.ttlSeconds,
    owner: opts.owner ?? buyer(1),
    correlationId: "test",
  });

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

/** Rewrites the stored record, as a crash or the passing of time would have left it. */
const patchRecord = (reservationId: string, patch: Partial<ReservationRecord>) =>
  runInDurableObject(service.reservationObject(testEnv, reservationId), (_i: Reservation, state) => {
    state.storage.kv.put("reservation", { ...state.storage.kv.get<ReservationRecord>("reservation")!, ...patch });
  });

const levels = async (...skus: string[]) => Promise.all(skus.map(async (s) => (await service.getAvailability(testEnv, s)).available));

describe("all or nothing", () => {
  it("holds every line, taken in SKU order whatever order they came in", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve([
      { sku: b.sku, quantity: 2 },
      { sku: a.sku, quantity: 1 },
      { sku: b.sku, quantity: 1 },
    ]);
    expect(reservation.status).toBe("held");
    expect(reservation.lines).toEqual([
      { sku: a.sku, quantity: 1 },
      { sku: b.sku, quantity: 3 },
    ]);
    expect(await levels(a.sku, b.sku)).toEqual([4, 2]);
    expect(Date.parse(reservation.expiresAt)).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it("releases the lines already held when a later line is refused, and leaves the rest untouched", async () => {
    const [a, b, c] = [await openSku(5, {}, "A"), await openSku(1, {}, "B"), await openSku(5, {}, "C")];
    const err = await refusal(
      reserve([
        { sku: a.sku, quantity: 2 },
        { sku: b.sku, quantity: 2 },
        { sku: c.sku, quantity: 1 },
      ]),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe("INSUFFICIENT_STOCK");
    expect(err.extras.lines).toEqual([{ sku: b.sku, requested: 2, available: 1 }]);
    expect(await levels(a.sku, b.sku, c.sku)).toEqual([5, 1, 5]);
    expect((await fullLedger(a.sku)).map((m) => [m.kind, m.reason])).toEqual([
      ["opening", "opening balance"],
      ["reservation", null],
      ["release", "rollback"],
    ]);
    expect(await fullLedger(c.sku)).toHaveLength(1);
  });

  it("answers a repeat of a refused reservation with the same refusal", async () => {
    const a = await openSku(1);
    const id = newId("res");
    expect((await refusal(reserve([{ sku: a.sku, quantity: 2 }], { reservationId: id }))).code).toBe("INSUFFICIENT_STOCK");
    await service.restock(testEnv, { sku: a.sku, quantity: 5, actor: ops, correlationId: "t" });
    expect((await refusal(reserve([{ sku: a.sku, quantity: 2 }], { reservationId: id }))).code).toBe("INSUFFICIENT_STOCK");
  });
});

describe("idempotent repeats", () => {
  it("gives racing repeats of one reservation id one hold and the same answer", async () => {
    const a = await openSku(10);
    const id = newId("res");
    const answers = await Promise.all(Array.from({ length: 8 }, () => reserve([{ sku: a.sku, quantity: 3 }], { reservationId: id })));
    expect(answers.filter((x) => !x.replayed)).toHaveLength(1);
    expect(new Set(answers.map((x) => x.reservation.expiresAt)).size).toBe(1);
    expect(await levels(a.sku)).toEqual([7]);
  });

  it("refuses the same id for other lines or another owner", async () => {
    const a = await openSku(10);
    const id = newId("res");
    await reserve([{ sku: a.sku, quantity: 1 }], { reservationId: id });
    expect((await refusal(reserve([{ sku: a.sku, quantity: 2 }], { reservationId: id }))).code).toBe("IDEMPOTENCY_MISMATCH");
    expect((await refusal(reserve([{ sku: a.sku, quantity: 1 }], { reservationId: id, owner: buyer(2) }))).code).toBe(
      "IDEMPOTENCY_MISMATCH",
    );
  });

  it("takes over the holds of an attempt cut short, whatever state they were left in", async () => {
    const [a, b, c] = [await openSku(5, {}, "A"), await openSku(5, {}, "B"), await openSku(5, {}, "C")];
    const id = newId("res");
    // The attempt held A, had B's hold ended, and stopped before C and before writing anything.
    const soon = Date.now() + 120_000;
    await service.stockObject(testEnv, a.sku).reserve({ sku: a.sku, reservationId: id, quantity: 1, expiresAt: soon, actor: buyer(1) });
    await service.stockObject(testEnv, b.sku).reserve({ sku: b.sku, reservationId: id, quantity: 2, expiresAt: soon, actor: buyer(1) });
    await service.releaseHold(testEnv, { sku: b.sku, reservationId: id, actor: buyer(1) });
    const { reservation, replayed } = await reserve(
      [
        { sku: a.sku, quantity: 1 },
        { sku: b.sku, quantity: 2 },
        { sku: c.sku, quantity: 3 },
      ],
      { reservationId: id },
    );
    expect([reservation.status, replayed]).toEqual(["held", false]);
    expect(Date.parse(reservation.expiresAt)).toBe(soon); // it ends with its earliest line
    expect(await levels(a.sku, b.sku, c.sku)).toEqual([4, 3, 2]);
    expect((await fullLedger(a.sku)).filter((m) => m.kind === "reservation")).toHaveLength(1);
  });

  it("rolls back when a stock object cannot be reached, and a repeat with the same id then succeeds", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const id = newId("res");
    await injectFault("reservation:line", b.sku, 1);
    try {
      const err = await refusal(
        reserve(
          [
            { sku: a.sku, quantity: 2 },
            { sku: b.sku, quantity: 2 },
          ],
          { reservationId: id },
        ),
      );
      expect([err.status, err.code]).toEqual([503, "DEPENDENCY_UNAVAILABLE"]);
      expect(await levels(a.sku, b.sku)).toEqual([5, 5]);
    } finally {
      await clearFault("reservation:line", b.sku);
    }
    const { reservation, replayed } = await reserve(
      [
        { sku: a.sku, quantity: 2 },
        { sku: b.sku, quantity: 2 },
      ],
      { reservationId: id },
    );
    expect([reservation.status, replayed]).toEqual(["held", false]);
    expect(await levels(a.sku, b.sku)).toEqual([3, 3]);
  });
});

describe("commit, release, extend", () => {
  it("sells every line once; a repeat is answered, a release after it refused", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve([
      { sku: a.sku, quantity: 2 },
      { sku: b.sku, quantity: 1 },
    ]);
    const [one, two] = await Promise.all([
      service.commitReservation(testEnv, reservation.reservationId, ops),
      service.commitReservation(testEnv, reservation.reservationId, ops),
    ]);
    expect([one.replayed, two.replayed].sort()).toEqual([false, true]);
    expect(one.reservation.status).toBe("committed");
    for (const [sku, onHand] of [
      [a.sku, 3],
      [b.sku, 4],
    ] as const)
      expect(await service.getAvailability(testEnv, sku)).toMatchObject({ onHand, reserved: 0 });
    expect((await refusal(service.releaseReservation(testEnv, reservation.reservationId, ops))).code).toBe("RESERVATION_COMMITTED");
  });

  it("refuses to commit an expired reservation and sells nothing", async () => {
    const a = await openSku(5);
    const { reservation } = await reserve([{ sku: a.sku, quantity: 2 }], { ttlSeconds: 5 });
    await patchRecord(reservation.reservationId, { expiresAt: Date.now() - 1 });
    expect((await refusal(service.commitReservation(testEnv, reservation.reservationId, ops))).code).toBe("RESERVATION_EXPIRED");
    expect((await service.getAvailability(testEnv, a.sku)).onHand).toBe(5);
  });

  it("sells no line when one line lapsed before the commit, and gives the others back", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve([
      { sku: a.sku, quantity: 2 },
      { sku: b.sku, quantity: 2 },
    ]);
    // B's hold ends under the reservation's feet (as if its own expiry came first).
    await service.releaseHold(testEnv, { sku: b.sku, reservationId: reservation.reservationId, actor: ops });
    const err = await refusal(service.commitReservation(testEnv, reservation.reservationId, ops));
    expect(err.code).toBe("RESERVATION_EXPIRED");
    for (const s of [a.sku, b.sku]) expect(await service.getAvailability(testEnv, s)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await fullLedger(a.sku)).some((m) => m.kind === "sale")).toBe(false);
  });

  it("finishes a commit a crash interrupted, from the alarm", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve([
      { sku: a.sku, quantity: 1 },
      { sku: b.sku, quantity: 1 },
    ]);
    const stub = service.reservationObject(testEnv, reservation.reservationId);
    // The state a crash after pinning the first line would leave.
    await service.stockObject(testEnv, a.sku).pin({ sku: a.sku, reservationId: reservation.reservationId, actor: ops });
    await patchRecord(reservation.reservationId, { status: "committing" });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await service.getReservation(testEnv, reservation.reservationId))!.status).toBe("committed");
    for (const s of [a.sku, b.sku]) expect(await service.getAvailability(testEnv, s)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("releases every line once, and extends every line together", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve(
      [
        { sku: a.sku, quantity: 1 },
        { sku: b.sku, quantity: 2 },
      ],
      { ttlSeconds: 60 },
    );
    const extended = await service.extendReservation(testEnv, reservation.reservationId, 600, buyer(1));
    expect(Date.parse(extended.reservation.expiresAt)).toBeGreaterThan(Date.now() + 590_000);
    for (const s of [a.sku, b.sku]) expect((await service.getAvailability(testEnv, s)).nextExpiryAt).toBe(extended.reservation.expiresAt);
    // However it is extended, a reservation ends at most a day after it was made.
    const capped = await service.extendReservation(testEnv, reservation.reservationId, 24 * 3600, buyer(1));
    expect(Date.parse(capped.reservation.expiresAt)).toBe(Date.parse(reservation.createdAt) + 24 * 3600_000);
    const released = await Promise.all([
      service.releaseReservation(testEnv, reservation.reservationId, buyer(1)),
      service.releaseReservation(testEnv, reservation.reservationId, buyer(1)),
    ]);
    expect(released.map((r) => r.reservation.status)).toEqual(["released", "released"]);
    expect(await levels(a.sku, b.sku)).toEqual([5, 5]);
    expect((await fullLedger(b.sku)).filter((m) => m.kind === "release")).toHaveLength(1);
  });

  it("lets each line expire by itself at the reservation's expiry", async () => {
    const [a, b] = [await openSku(5, {}, "A"), await openSku(5, {}, "B")];
    const { reservation } = await reserve(
      [
        { sku: a.sku, quantity: 1 },
        { sku: b.sku, quantity: 1 },
      ],
      { ttlSeconds: 1 },
    );
    await sleep(Date.parse(reservation.expiresAt) - Date.now() + 50);
    expect((await service.getReservation(testEnv, reservation.reservationId))!.status).toBe("expired");
    expect(await levels(a.sku, b.sku)).toEqual([5, 5]);
    expect((await refusal(service.commitReservation(testEnv, reservation.reservationId, ops))).code).toBe("RESERVATION_EXPIRED");
  });
});
