/**
 * /api/inventory over HTTP: who may do what, idempotent requests, refusals
 * with stable codes, the ledger and the low-stock report, the projection
 * that follows the objects, the bootstrap from seeded stock, the live view.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { type InventoryUpdatedEvent, projectStockLevel } from "./projection.ts";
import { stockObject } from "./service.ts";

// A fresh signed-in customer (a user access token), so each test's reservations have their own owner.
const customer = async () => (await registerAndLogin()).accessToken;

type Problem = {
  code: string;
  status: number;
  errors?: { field: string }[];
  lines?: { sku: string; requested: number; available: number }[];
};
type Level = {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  status: string;
  lowStockThreshold: number;
  version: number;
};
type Reservation = {
  reservationId: string;
  status: string;
  lines: { sku: string; quantity: number }[];
  expiresAt: string;
  owner: { id: string };
};

const sku = (label = "H") => `${label}-${crypto.randomUUID().slice(0, 12).toUpperCase()}`;
const json = async <T>(res: Response) => (await res.json()) as T;

async function stocked(quantity: number, label?: string): Promise<string> {
  const s = sku(label);
  const res = await api(`/api/inventory/${s}/restock`, { method: "POST", json: { quantity, reason: "initial delivery" } });
  expect(res.status).toBe(200);
  return s;
}

const reserve = (token: string | null | undefined, body: unknown, headers: Record<string, string> = {}) =>
  api("/api/inventory/reserve", { method: "POST", json: body, token, headers });

describe("availability", () => {
  it("is public, live from the SKU's object, and 404 for a SKU that never had stock", async () => {
    const s = await stocked(8);
    const res = await api(`/api/inventory/${s}`, { token: null });
    expect(res.status).toBe(200);
    expect(await json<Level>(res)).toMatchObject({ sku: s, onHand: 8, reserved: 0, available: 8, status: "in_stock", tracked: true });
    const unknown = await api(`/api/inventory/${sku()}`, { token: null });
    expect([unknown.status, (await json<Problem>(unknown)).code]).toEqual([404, "NOT_FOUND"]);
    expect((await api("/api/inventory/bad%20sku!", { token: null })).status).toBe(422);
  });
});

describe("POST /api/inventory/reserve", () => {
  it("needs a signed-in principal of any role", async () => {
    const s = await stocked(5);
    expect((await reserve(null, { lines: [{ sku: s, quantity: 1 }] })).status).toBe(401);
    const res = await reserve(await customer(), { lines: [{ sku: s, quantity: 2 }] });
    expect(res.status).toBe(201);
    const body = await json<Reservation>(res);
    expect(body).toMatchObject({ status: "held", lines: [{ sku: s, quantity: 2 }] });
    expect(res.headers.get("location")).toBe(`/api/inventory/reservations/${body.reservationId}`);
  });

  it("answers a repeat with the same Idempotency-Key with the first reservation, and refuses the key for other lines", async () => {
    const s = await stocked(5);
    const who = await customer();
    const key = crypto.randomUUID();
    const [first, second] = [
      await reserve(who, { lines: [{ sku: s, quantity: 2 }] }, { "idempotency-key": key }),
      await reserve(who, { lines: [{ sku: s, quantity: 2 }] }, { "idempotency-key": key }),
    ];
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<Reservation>(second)).reservationId).toBe((await json<Reservation>(first)).reservationId);
    expect((await json<Level>(await api(`/api/inventory/${s}`))).reserved).toBe(2);
    const other = await reserve(who, { lines: [{ sku: s, quantity: 3 }] }, { "idempotency-key": key });
    expect([other.status, (await json<Problem>(other)).code]).toEqual([409, "IDEMPOTENCY_MISMATCH"]);
    // Another principal's identical key is another reservation.
    expect((await reserve(await customer(), { lines: [{ sku: s, quantity: 2 }] }, { "idempotency-key": key })).status).toBe(201);
  });

  it("refuses what is not there with 409 INSUFFICIENT_STOCK naming the line, and holds nothing", async () => {
    const [a, b] = [await stocked(5, "A"), await stocked(1, "B")];
    const res = await reserve(await customer(), {
      lines: [
        { sku: a, quantity: 1 },
        { sku: b, quantity: 3 },
      ],
    });
    expect(res.status).toBe(409);
    expect(await json<Problem>(res)).toMatchObject({ code: "INSUFFICIENT_STOCK", lines: [{ sku: b, requested: 3, available: 1 }] });
    expect((await json<Level>(await api(`/api/inventory/${a}`))).reserved).toBe(0);
  });

  it("names each invalid field with a 422", async () => {
    const res = await reserve(await customer(), {
      lines: [
        { sku: "ok", quantity: 0 },
        { sku: "", quantity: 1 },
      ],
      ttlSeconds: 99_999_999,
      extra: true,
    });
    expect(res.status).toBe(422);
    const fields = (await json<Problem>(res)).errors!.map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(["lines.0.quantity", "lines.1.sku", "ttlSeconds"]));
    expect((await reserve(await customer(), { lines: [] })).status).toBe(422);
  });
});

describe("a reservation's lifecycle over HTTP", () => {
  it("is visible to its owner and admins only; customers may release and extend, only admins commit", async () => {
    const s = await stocked(6);
    const owner = await customer();
    const { reservationId } = await json<Reservation>(await reserve(owner, { lines: [{ sku: s, quantity: 2 }], ttlSeconds: 60 }));
    expect((await api(`/api/inventory/reservations/${reservationId}`, { token: owner })).status).toBe(200);
    expect((await api(`/api/inventory/reservations/${reservationId}`)).status).toBe(200);
    expect((await api(`/api/inventory/reservations/${reservationId}`, { token: await customer() })).status).toBe(404);
    expect(
      (await api(`/api/inventory/reservations/${reservationId}/release`, { method: "POST", token: await customer(), json: {} })).status,
    ).toBe(404);
    expect((await api(`/api/inventory/reservations/${newId("res")}`)).status).toBe(404);

    const extended = await api(`/api/inventory/reservations/${reservationId}/extend`, {
      method: "POST",
      token: owner,
      json: { ttlSeconds: 600 },
    });
    expect(Date.parse((await json<Reservation>(extended)).expiresAt)).toBeGreaterThan(Date.now() + 590_000);
    expect((await api(`/api/inventory/reservations/${reservationId}/commit`, { method: "POST", token: owner })).status).toBe(403);
    const committed = await api(`/api/inventory/reservations/${reservationId}/commit`, { method: "POST" });
    expect([committed.status, (await json<Reservation>(committed)).status]).toEqual([200, "committed"]);
    const release = await api(`/api/inventory/reservations/${reservationId}/release`, { method: "POST", token: owner, json: {} });
    expect([release.status, (await json<Problem>(release)).code]).toEqual([409, "RESERVATION_COMMITTED"]);
    expect(await json<Level>(await api(`/api/inventory/${s}`))).toMatchObject({ onHand: 4, reserved: 0 });

    const second = await json<Reservation>(await reserve(owner, { lines: [{ sku: s, quantity: 1 }] }));
    const released = await api(`/api/inventory/reservations/${second.reservationId}/release`, {
      method: "POST",
      token: owner,
      json: { reason: "changed my mind" },
    });
    expect((await json<Reservation>(released)).status).toBe("released");
    expect((await json<Level>(await api(`/api/inventory/${s}`))).available).toBe(4);
  });
});

describe("admin movements", () => {
  it("are for admins only", async () => {
    const s = sku();
    expect((await api(`/api/inventory/${s}/restock`, { method: "POST", token: null, json: { quantity: 1 } })).status).toBe(401);
    expect((await api(`/api/inventory/${s}/restock`, { method: "POST", token: await customer(), json: { quantity: 1 } })).status).toBe(403);
    expect((await api(`/api/inventory/${s}/ledger`, { token: await customer() })).status).toBe(403);
    expect((await api("/api/inventory/reports/low-stock", { token: await customer() })).status).toBe(403);
    expect((await api("/api/inventory/bootstrap", { method: "POST", token: await customer() })).status).toBe(403);
  });

  it("apply a receipt once per Idempotency-Key, refuse an adjustment below what is held, and record who and why", async () => {
    const s = sku();
    const key = crypto.randomUUID();
    for (let i = 0; i < 3; i++)
      expect(
        (await api(`/api/inventory/${s}/restock`, { method: "POST", json: { quantity: 10 }, headers: { "idempotency-key": key } })).status,
      ).toBe(200);
    await reserve(await customer(), { lines: [{ sku: s, quantity: 7 }] });
    const below = await api(`/api/inventory/${s}/adjust`, { method: "POST", json: { delta: -4, reason: "cycle count" } });
    expect([below.status, (await json<Problem>(below)).code]).toEqual([409, "STOCK_BELOW_HELD"]);
    expect((await api(`/api/inventory/${s}/adjust`, { method: "POST", json: { delta: 0, reason: "x" } })).status).toBe(422);
    expect((await api(`/api/inventory/${s}/adjust`, { method: "POST", json: { delta: -3, reason: "water damage" } })).status).toBe(200);
    expect((await api(`/api/inventory/${s}/returns`, { method: "POST", json: { quantity: 2, reason: "customer return" } })).status).toBe(
      200,
    );
    const settings = await api(`/api/inventory/${s}/settings`, { method: "PUT", json: { lowStockThreshold: 3 } });
    expect(await json<Level>(settings)).toMatchObject({ onHand: 9, reserved: 7, available: 2, status: "low_stock", lowStockThreshold: 3 });

    const page1 = await json<{
      items: { kind: string; actor: string; reason: string | null; onHandDelta: number }[];
      nextCursor: string | null;
    }>(await api(`/api/inventory/${s}/ledger?limit=3`));
    expect(page1.items.map((m) => m.kind)).toEqual(["settings", "return", "adjustment"]);
    expect(page1.items[2]).toMatchObject({ actor: "service:ops", reason: "water damage", onHandDelta: -3 });
    const page2 = await json<{ items: { kind: string }[]; nextCursor: string | null }>(
      await api(`/api/inventory/${s}/ledger?limit=3&cursor=${page1.nextCursor}`),
    );
    expect(page2.items.map((m) => m.kind)).toEqual(["reservation", "receipt"]);
    expect(page2.nextCursor).toBeNull();
  });
});

describe("the stock projection", () => {
  it("follows the object through InventoryUpdated, and ignores an older version", async () => {
    const s = await stocked(12);
    const level = await json<Level>(await api(`/api/inventory/${s}`));
    const row = await eventually(
      () =>
        withTestDb(
          async (db) =>
            (
              await db.execute<{ on_hand: number; version: string }>(
                sql`select on_hand, version from inventory.stock_levels where sku = ${s} and version = ${level.version}`,
              )
            ).rows[0],
        ),
      15_000,
      "the projection",
    );
    expect(row.on_hand).toBe(12);
    const stale: InventoryUpdatedEvent = {
      id: newId("evt"),
      type: "InventoryUpdated",
      version: 1,
      topic: "inventory",
      occurredAt: new Date().toISOString(),
      source: "test",
      subjectId: s,
      correlationId: "t",
      actor: null,
      payload: {
        sku: s,
        onHand: 999,
        reserved: 0,
        available: 999,
        lowStockThreshold: 5,
        reorderPoint: 3,
        reorderQuantity: 20,
        status: "in_stock",
        version: level.version - 1 || 1,
        ledgerSeq: 0,
        cause: "receipt",
        updatedAt: new Date().toISOString(),
      },
    };
    expect(await withTestDb((db) => projectStockLevel(db, stale))).toBe(false);
    expect(
      (await withTestDb((db) => db.execute<{ on_hand: number }>(sql`select on_hand from inventory.stock_levels where sku = ${s}`))).rows[0]!
        .on_hand,
    ).toBe(12);
  });

  it("serves the low-stock report, emptiest first, with a cursor and a status filter", async () => {
    const [empty, low] = [await stocked(1, "LOWA"), await stocked(2, "LOWB")];
    await reserve(await customer(), { lines: [{ sku: empty, quantity: 1 }] });
    const items = await eventually(
      async () => {
        const all: { sku: string; status: string; available: number }[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: typeof all; nextCursor: string | null } = await json(
            await api(`/api/inventory/reports/low-stock?limit=50${cursor ? `&cursor=${cursor}` : ""}`),
          );
          all.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        return all.some((i) => i.sku === empty && i.available === 0) && all.some((i) => i.sku === low) ? all : undefined;
      },
      15_000,
      "both SKUs in the report",
    );
    for (let i = 1; i < items.length; i++) expect(items[i]!.available).toBeGreaterThanOrEqual(items[i - 1]!.available);
    expect(items.find((i) => i.sku === empty)!.status).toBe("out_of_stock");
    expect(items.find((i) => i.sku === low)!.status).toBe("low_stock");
    const outOnly = await json<{ items: { status: string }[] }>(
      await api("/api/inventory/reports/low-stock?status=out_of_stock&limit=100"),
    );
    expect(outOnly.items.every((i) => i.status === "out_of_stock")).toBe(true);
    expect((await api("/api/inventory/reports/low-stock?cursor=garbage")).status).toBe(422);
  });
});

describe("bootstrap from seeded stock", () => {
  it("opens never-initialised objects from the projection once, and corrects a row an object contradicts", async () => {
    const [fresh, known] = [sku("SEED"), sku("SEED")];
    await stockObject(testEnv, known).restock({ sku: known, operationId: "real", quantity: 4, actor: { type: "service", id: "ops" } });
    await withTestDb((db) =>
      db.execute(sql`insert into inventory.stock_levels (sku, on_hand, reserved, available, low_stock_threshold) values (${fresh}, 17, 0, 17, 6), (${known}, 50, 0, 50, 5)
        on conflict (sku) do update set on_hand = excluded.on_hand, available = excluded.available, version = 0`),
    );
    for (let i = 0; i < 2; i++) {
      const res = await api("/api/inventory/bootstrap", { method: "POST" });
      expect(await json<{ outcome: string }>(res)).toMatchObject({ outcome: "succeeded" });
    }
    expect(await json<Level>(await api(`/api/inventory/${fresh}`))).toMatchObject({ onHand: 17, lowStockThreshold: 6 });
    expect((await json<Level>(await api(`/api/inventory/${known}`))).onHand).toBe(4);
    const openings = await json<{ items: { kind: string }[] }>(await api(`/api/inventory/${fresh}/ledger`));
    expect(openings.items.map((m) => m.kind)).toEqual(["opening"]);
    await eventually(
      () =>
        withTestDb(async (db) =>
          (await db.execute(sql`select 1 from inventory.stock_levels where sku = ${known} and on_hand = 4 and version > 0`)).rows.length
            ? true
            : undefined,
        ),
      15_000,
      "the contradicted row to be corrected",
    );
  });
});

describe("live availability", () => {
  it("sends the level on connect and after every change", async () => {
    const s = await stocked(3);
    const res = await api(`/api/inventory/${s}/live`, { token: null, headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const messages: { level: Level }[] = [];
    ws.addEventListener("message", (e) => messages.push(JSON.parse(e.data as string)));
    ws.accept();
    await eventually(async () => (messages.length >= 1 ? true : undefined), 5000, "the first message");
    expect(messages[0]!.level).toMatchObject({ sku: s, available: 3 });
    await reserve(await customer(), { lines: [{ sku: s, quantity: 2 }] });
    await eventually(async () => (messages.some((m) => m.level.available === 1) ? true : undefined), 5000, "the change to be pushed");
    ws.close(1000, "done");
    expect((await api(`/api/inventory/${s}/live`, { token: null })).status).toBe(426);
    // As for the level itself: a SKU that never had stock has no live view.
    expect((await api(`/api/inventory/${sku()}/live`, { token: null, headers: { upgrade: "websocket" } })).status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents the inventory routes", async () => {
    const res = await api("/api/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = await json<{ paths: Record<string, unknown> }>(res);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/inventory/{sku}",
        "/api/inventory/reserve",
        "/api/inventory/reservations/{id}/commit",
        "/api/inventory/{sku}/ledger",
        "/api/inventory/reports/low-stock",
        "/api/inventory/{sku}/live",
      ]),
    );
  });
});
