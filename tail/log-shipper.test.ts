import { describe, expect, it } from "vitest";
import { configureLogs, log } from "../workers/platform/log.ts";
import { linesOf, ship, type TailEvent } from "./log-shipper.ts";

const T = Date.UTC(2026, 11, 4, 10, 0, 0);

function event(partial: Partial<TailEvent>): TailEvent {
  return { scriptName: "edge-commerce-production", outcome: "ok", eventTimestamp: T, logs: [], exceptions: [], ...partial };
}

/** What the API Worker's logger writes to the console, captured as a trace event's log entries. */
function loggedLines(write: () => void): TailEvent["logs"] {
  const entries: { timestamp: number; level: string; message: unknown }[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ["log", "warn", "error"] as const)
    console[level] = (line: string) => void entries.push({ timestamp: T, level, message: [line] });
  try {
    write();
  } finally {
    Object.assign(console, original);
  }
  return entries;
}

describe("the log shipper", () => {
  it("ships the logger's redacted lines as NDJSON with level, script and outcome, dropping lines under its level", async () => {
    configureLogs({ level: "debug", levels: {}, debugSampleRate: 1 });
    const logs = loggedLines(() => {
      log.debug("orders.saga_step", { orderId: "ord_1" });
      log.info("payments.webhook", { email: "ada@example.com", provider: "sandbox" });
      log.error("orders.saga_step_failed", { orderId: "ord_2", error: "timeout for ada@example.com" });
    });
    const posts: { url: string; init: RequestInit }[] = [];
    const shipped = await ship(
      [event({ logs: [...logs, { timestamp: T, level: "log", message: ["plain", { a: 1 }] }] })],
      { LOG_SHIP_URL: "https://logs.example/ingest", LOG_SHIP_AUTHORIZATION: "Bearer k", LOG_SHIP_MIN_LEVEL: "info" },
      async (url, init) => {
        posts.push({ url, init });
        return new Response(null, { status: 204 });
      },
    );
    expect(shipped).toBe(3);
    expect(posts).toHaveLength(1);
    const { url, init } = posts[0]!;
    expect(url).toBe("https://logs.example/ingest");
    expect(new Headers(init.headers).get("authorization")).toBe("Bearer k");
    expect(new Headers(init.headers).get("content-type")).toBe("application/x-ndjson");
    const body = String(init.body);
    expect(body).not.toContain("ada@example.com");
    const lines = body
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        msg: "payments.webhook",
        level: "info",
        area: "payments",
        email: "[redacted]",
        script: "edge-commerce-production",
        outcome: "ok",
      }),
      expect.objectContaining({ msg: "orders.saga_step_failed", level: "error", orderId: "ord_2", error: "timeout for [redacted-email]" }),
      expect.objectContaining({ msg: 'plain {"a":1}', level: "info", time: new Date(T).toISOString() }),
    ]);
  });

  it("turns exceptions and silent failed invocations into error lines", () => {
    const lines = linesOf(
      [
        event({ outcome: "exception", exceptions: [{ timestamp: T, name: "TypeError", message: "x is undefined" }] }),
        event({ outcome: "exceededCpu" }),
        event({ outcome: "ok" }),
      ],
      "warn",
    ).map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ msg: "worker.exception", level: "error", errorName: "TypeError", outcome: "exception" }),
      expect.objectContaining({ msg: "worker.outcome", level: "error", outcome: "exceededCpu" }),
    ]);
  });

  it("ships nothing without an intake, and reports a refused post without throwing", async () => {
    const events = [event({ logs: [{ timestamp: T, level: "error", message: ['{"level":"error","msg":"x.y"}'] }] })];
    let calls = 0;
    const send = async () => {
      calls++;
      return new Response("no", { status: 500 });
    };
    expect(await ship(events, {}, send)).toBe(0);
    expect(calls).toBe(0);
    expect(await ship(events, { LOG_SHIP_URL: "https://logs.example/ingest" }, send)).toBe(1);
    expect(calls).toBe(1);
  });
});
