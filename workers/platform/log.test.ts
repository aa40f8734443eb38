import { afterEach, describe, expect, it, vi } from "vitest";
import { areaOf, configureLogs, type LogSettings, log, redact, shouldWrite } from "./log.ts";

const WARN: LogSettings = { level: "warn", levels: {}, debugSampleRate: 1 };

afterEach(() => {
  vi.restoreAllMocks();
  configureLogs(WARN);
});

describe("logs", () => {
  it("never write personal data or secrets: fields by name, email addresses anywhere", () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    log.warn("signup.failed", {
      email: "ada@example.com",
      password: "tangerine-velvet",
      user: { id: "usr_1", phone: "+44 20 7946 0000", shippingAddress: { line1: "1 Main St" } },
      error: "duplicate key: ada.lovelace+shop@example.co.uk already exists",
      headers: [{ authorization: "Bearer abc" }],
      route: "/api/users/register",
    });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const secret of ["ada@example.com", "tangerine", "7946", "Main St", "lovelace", "Bearer abc"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({
      msg: "signup.failed",
      email: "[redacted]",
      user: { id: "usr_1", phone: "[redacted]", shippingAddress: "[redacted]" },
      error: "duplicate key: [redacted-email] already exists",
      route: "/api/users/register",
    });
  });

  it("drops lines under the level, and leaves values without personal data as they are", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    configureLogs(WARN);
    log.info("ignored", { n: 1 });
    expect(lines).toEqual([]);
    expect(redact({ n: 1, ok: true, list: [1, "two"], nested: { orderId: "ord_1" } })).toEqual({
      n: 1,
      ok: true,
      list: [1, "two"],
      nested: { orderId: "ord_1" },
    });
  });

  it("take each area's own level before the default one", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    configureLogs({ level: "warn", levels: { orders: "debug", consumer: "error" }, debugSampleRate: 1 });
    log.debug("orders.saga_step", { orderId: "ord_1" });
    log.info("delivery.webhook", {});
    log.info("consumer.processed", {});
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ msg: "orders.saga_step", area: "orders", level: "debug" })]);
    expect(shouldWrite("warn", "consumer.retry", {})).toBe(false);
    expect(shouldWrite("error", "consumer.parked", {})).toBe(true);
    expect(shouldWrite("warn", "delivery.carrier_failed", {})).toBe(true);
    expect(areaOf("request")).toBe("request");
  });

  it("sample debug lines by request id: a kept request keeps every line, and the share follows the rate", () => {
    configureLogs({ level: "debug", levels: {}, debugSampleRate: 0.25 });
    const kept = Array.from({ length: 4000 }, (_, i) => `req_${i}`).filter((id) => shouldWrite("debug", "orders.x", { requestId: id }));
    expect(kept.length).toBeGreaterThan(800);
    expect(kept.length).toBeLessThan(1200);
    for (const id of kept.slice(0, 50)) expect(shouldWrite("debug", "search.y", { requestId: id })).toBe(true);
    // Sampling never drops a line above debug.
    expect(shouldWrite("info", "orders.x", { requestId: "req_dropped" })).toBe(true);
    configureLogs({ level: "debug", levels: {}, debugSampleRate: 0 });
    expect(shouldWrite("debug", "orders.x", { requestId: kept[0] })).toBe(false);
  });
});
