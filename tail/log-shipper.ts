/**
 * The log shipper: a Tail Worker that receives the API Worker's trace events
 * (its JSON log lines, uncaught exceptions and each invocation's outcome) and
 * posts them as NDJSON to a log intake (Loki, Elasticsearch, Datadog, Vector,
 * any endpoint that takes newline-delimited JSON). It is the production log
 * pipe of `[env.production]` (`tail_consumers`); Logpush is the alternative
 * when the account has it. The lines arrive already redacted by the API
 * Worker's logger, so nothing personal is shipped.
 *
 * Settings: LOG_SHIP_URL (the intake; unset = ship nothing), LOG_SHIP_AUTHORIZATION
 * (a secret, sent as the Authorization header), LOG_SHIP_MIN_LEVEL (default info).
 */

export interface ShipperEnv {
  LOG_SHIP_URL?: string;
  LOG_SHIP_AUTHORIZATION?: string;
  LOG_SHIP_MIN_LEVEL?: string;
}

type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const CONSOLE_LEVEL: Record<string, Level> = { debug: "debug", log: "info", info: "info", warn: "warn", error: "error" };

/** The parts of a trace event the shipper reads (the runtime's TraceItem has more). */
export interface TailEvent {
  scriptName: string | null;
  outcome: string;
  eventTimestamp: number | null;
  logs: readonly { timestamp: number; level: string; message: unknown }[];
  exceptions: readonly { timestamp: number; name: string; message: string }[];
}

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/** A console call's message: the logger writes one JSON string; anything else is kept as text. */
function lineOf(message: unknown): Record<string, unknown> {
  const parts = Array.isArray(message) ? message : [message];
  if (parts.length === 1 && typeof parts[0] === "string") {
    try {
      const parsed: unknown = JSON.parse(parts[0]);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Not one of the logger's lines: shipped as text below.
    }
  }
  return { msg: parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ") };
}

/** The NDJSON lines of a batch of trace events at or above `minLevel`. */
export function linesOf(events: readonly TailEvent[], minLevel: Level): string[] {
  const lines: string[] = [];
  for (const event of events) {
    const source = { script: event.scriptName ?? "unknown", outcome: event.outcome };
    for (const entry of event.logs) {
      const fields = lineOf(entry.message);
      const level = (typeof fields.level === "string" && fields.level in RANK ? fields.level : CONSOLE_LEVEL[entry.level]) ?? "info";
      if (RANK[level as Level] < RANK[minLevel]) continue;
      lines.push(JSON.stringify({ time: new Date(entry.timestamp).toISOString(), ...fields, level, ...source }));
    }
    for (const ex of event.exceptions) {
      const time = new Date(ex.timestamp).toISOString();
      lines.push(JSON.stringify({ time, level: "error", msg: "worker.exception", errorName: ex.name, error: ex.message, ...source }));
    }
    // An invocation that died without a line of its own (exceeded CPU or memory, canceled) still leaves a trace.
    if (event.outcome !== "ok" && event.logs.length === 0 && event.exceptions.length === 0) {
      const time = new Date(event.eventTimestamp ?? Date.now()).toISOString();
      lines.push(JSON.stringify({ time, level: "error", msg: "worker.outcome", ...source }));
    }
  }
  return lines;
}

/** Posts one batch; a failed post is reported in the shipper's own logs (Workers Logs keeps those). */
export async function ship(events: readonly TailEvent[], env: ShipperEnv, send: Fetcher): Promise<number> {
  if (!env.LOG_SHIP_URL) return 0;
  const minLevel = (env.LOG_SHIP_MIN_LEVEL && env.LOG_SHIP_MIN_LEVEL in RANK ? env.LOG_SHIP_MIN_LEVEL : "info") as Level;
  const lines = linesOf(events, minLevel);
  if (lines.length === 0) return 0;
  const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
  if (env.LOG_SHIP_AUTHORIZATION) headers.authorization = env.LOG_SHIP_AUTHORIZATION;
  const res = await send(env.LOG_SHIP_URL, { method: "POST", headers, body: `${lines.join("\n")}\n` });
  if (!res.ok) console.error(JSON.stringify({ level: "error", msg: "log_shipper.post_failed", status: res.status, lines: lines.length }));
  return lines.length;
}

export default {
  tail(events, env, ctx) {
    ctx.waitUntil(ship(events as unknown as TailEvent[], env, (url, init) => fetch(url, init)));
  },
} satisfies ExportedHandler<ShipperEnv>;
