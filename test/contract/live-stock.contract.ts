/**
 * A SKU's live stock over a WebSocket on every runtime: the SKU's Inventory
 * object greets a socket with its level, pushes the new level after a
 * restock and after a reservation made over HTTP, and answers a message with
 * the level. On Cloudflare the object's hibernatable sockets send them; on
 * Deno the host follows the object's live key in Deno KV. Either way the
 * messages are what `GET /api/inventory/{sku}` answers at that moment, and
 * the 101 carries the gateway's headers as every other answer does.
 */
import { describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { api, clientIp, eventually, json, runtime, signUp, uid } from "./client.ts";

interface Level {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

const liveUrl = (sku: string) => `${inject("baseUrl").replace(/^http/, "ws")}/api/inventory/${sku}/live`;

async function stockedSku(units: number): Promise<string> {
  const sku = `LV-${uid().toUpperCase()}`;
  await json(
    await api("/api/products", {
      method: "POST",
      json: {
        name: `Contract lamp ${sku}`,
        slug: `contract-lamp-${sku.toLowerCase()}`,
        categoryId: null,
        brandId: null,
        status: "active",
        tags: [],
        variants: [{ sku, priceMinor: 990, compareAtMinor: null, currency: "USD", options: {} }],
      },
    }),
    201,
  );
  await json(await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: units } }), 200);
  return sku;
}

const level = async (sku: string) => json<Level>(await api(`/api/inventory/${sku}`, { token: null }), 200);

/** Opens the live socket; every message it receives, parsed, in order. */
function openLive(sku: string): Promise<{ ws: WebSocket; messages: { type: string; level: Level }[] }> {
  const ws = new WebSocket(liveUrl(sku), { headers: { "cf-connecting-ip": clientIp() } });
  const messages: { type: string; level: Level }[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, messages }));
    ws.once("error", reject);
  });
}

/** The gateway's headers whose values are the same for every request to a public read. */
const GATEWAY_HEADERS = [
  "cache-control",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "access-control-expose-headers",
  "ratelimit-policy",
  "vary",
];

/** Opens the live socket with `headers` and reads the headers of its 101; then closes it. */
function upgradeHeaders(sku: string, headers: Record<string, string>): Promise<Record<string, string | string[] | undefined>> {
  const ws = new WebSocket(liveUrl(sku), { headers: { "cf-connecting-ip": clientIp(), ...headers } });
  return new Promise((resolve, reject) => {
    ws.once("upgrade", (res) => {
      resolve(res.headers);
      ws.once("open", () => ws.close(1000, "done"));
    });
    ws.once("error", reject);
  });
}

/** The status a refused upgrade answered. */
function refusedUpgrade(sku: string): Promise<number> {
  const ws = new WebSocket(liveUrl(sku), { headers: { "cf-connecting-ip": clientIp() } });
  return new Promise((resolve, reject) => {
    ws.once("unexpected-response", (req, res) => {
      resolve(res.statusCode ?? 0);
      // The handshake is over: ending it here makes the client report an error nobody waits for.
      ws.on("error", () => undefined);
      req.destroy();
    });
    ws.once("open", () => reject(new Error("the upgrade was accepted")));
  });
}

describe(`live stock contract (${runtime})`, () => {
  it("greets a socket with the level, pushes the level after a restock and a reservation, and answers a message", async () => {
    const sku = await stockedSku(5);
    const { ws, messages } = await openLive(sku);
    try {
      const greeting = await eventually(async () => messages[0], "the greeting", 10_000);
      expect(Object.keys(greeting).sort()).toEqual(["level", "type"]);
      expect(greeting.type).toBe("level");
      // The same view the HTTP read answers, field for field.
      expect(greeting.level).toEqual(await level(sku));
      expect(greeting.level).toMatchObject({ sku, onHand: 5, reserved: 0, available: 5 });

      await json(await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 4 } }), 200);
      const restocked = await eventually(async () => messages.find((m) => m.level.onHand === 9), "the level after the restock", 10_000);
      expect(restocked.level).toEqual(await level(sku));

      const shopper = await signUp();
      await json(
        await api("/api/inventory/reserve", { method: "POST", token: shopper.accessToken, json: { lines: [{ sku, quantity: 2 }] } }),
        201,
      );
      const reserved = await eventually(
        async () => messages.find((m) => m.level.reserved === 2),
        "the level after the reservation",
        10_000,
      );
      expect(reserved.level).toMatchObject({ onHand: 9, reserved: 2, available: 7 });
      expect(reserved.level).toEqual(await level(sku));

      const before = messages.length;
      ws.send("level?");
      const answer = await eventually(async () => messages[before], "the answer to a message", 10_000);
      expect(answer).toEqual({ type: "level", level: await level(sku) });
    } finally {
      ws.close(1000, "done");
    }
  });

  it("answers the upgrade with the gateway's headers: request id, trace context, security, cache and rate-limit policy", async () => {
    const sku = await stockedSku(1);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const headers = await upgradeHeaders(sku, { "x-request-id": "contract-live-1", traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    expect(headers["x-request-id"]).toBe("contract-live-1");
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // The same values the HTTP read of the SKU carries.
    const read = await api(`/api/inventory/${sku}`, { token: null });
    await read.arrayBuffer();
    const expected = Object.fromEntries(GATEWAY_HEADERS.map((name) => [name, read.headers.get(name)]));
    expect(Object.values(expected).every((v) => v !== null)).toBe(true);
    expect(Object.fromEntries(GATEWAY_HEADERS.map((name) => [name, headers[name] ?? null]))).toEqual(expected);
    expect(headers.upgrade?.toString().toLowerCase()).toBe("websocket");
    expect(headers["x-live-upgrade"]).toBeUndefined();
  });

  it("answers 426 to a plain GET, 404 to an upgrade for a SKU that never had stock", async () => {
    const sku = await stockedSku(1);
    const plain = await api(`/api/inventory/${sku}/live`, { token: null });
    expect(plain.status).toBe(426);
    expect(plain.headers.get("content-type")).toContain("application/problem+json");
    expect(((await plain.json()) as { code: string }).code).toBe("WEBSOCKET_UPGRADE_REQUIRED");
    expect(await refusedUpgrade(`LV-NEVER-${uid().toUpperCase()}`)).toBe(404);
  });
});
