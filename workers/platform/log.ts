/**
 * Structured JSON logs, one object a line, so Workers Logs can index every field.
 *
 * A line's area is the first segment of its message (`orders.saga_step_failed`
 * is in `orders`), so a family's lines are turned up or down by name without
 * a logger object threaded through its code: `LOG_LEVELS={"orders":"debug"}`.
 * Debug lines are the noisy ones; `LOG_DEBUG_SAMPLE_RATE` keeps a share of
 * them, chosen by request (trace) id when the line has one, so a kept request
 * keeps all its debug lines.
 */
type Fields = Record<string, unknown>;
export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogSettings {
  /** The level of every area without its own. */
  level: LogLevel;
  /** Levels by area (a message's first segment), e.g. `{ orders: "debug", consumer: "warn" }`. */
  levels: Readonly<Record<string, LogLevel>>;
  /** Share of debug lines written, 0 to 1. */
  debugSampleRate: number;
}

let settings: LogSettings = { level: "info", levels: {}, debugSampleRate: 1 };

/** Set from the LOG_* vars at each entry point (fetch, queue, scheduled). */
export function configureLogs(next: LogSettings): void {
  settings = next;
}

/** The log settings from the platform's configuration (LOG_LEVEL, LOG_LEVELS, LOG_DEBUG_SAMPLE_RATE). */
export function logSettingsFrom(config: {
  LOG_LEVEL: LogLevel;
  LOG_LEVELS: Readonly<Record<string, LogLevel>>;
  LOG_DEBUG_SAMPLE_RATE: number;
}): LogSettings {
  return { level: config.LOG_LEVEL, levels: config.LOG_LEVELS, debugSampleRate: config.LOG_DEBUG_SAMPLE_RATE };
}

/** The area of a message: its first dot-separated segment. */
export function areaOf(msg: string): string {
  const dot = msg.indexOf(".");
  return dot === -1 ? msg : msg.slice(0, dot);
}

/** FNV-1a of a string to [0, 1): the same id always gets the same sampling decision. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/** Whether a line at `level` is written under the current settings. */
export function shouldWrite(level: LogLevel, msg: string, fields: Fields): boolean {
  const minimum = settings.levels[areaOf(msg)] ?? settings.level;
  if (RANK[level] < RANK[minimum]) return false;
  if (level !== "debug" || settings.debugSampleRate >= 1) return true;
  const key = fields.traceId ?? fields.requestId ?? fields.correlationId;
  const draw = typeof key === "string" ? unitHash(key) : Math.random();
  return draw < settings.debugSampleRate;
}

/** Fields that hold personal data or secrets by name: their values never reach a log line. */
const SECRET_KEYS =
  /^(e-?mail|password|passwordHash|token|accessToken|refreshToken|authorization|cookie|phone|address|shippingAddress|secret|apiKey|card|iban)$/i;
/** An email address anywhere in a string value (error messages quote their input). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** A copy of `value` with personal data replaced by `[redacted]` (nested objects and arrays too). */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(EMAIL, "[redacted-email]");
  if (!value || typeof value !== "object" || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1)]));
}

function write(level: LogLevel, msg: string, fields: Fields): void {
  if (!shouldWrite(level, msg, fields)) return;
  const line = JSON.stringify({ level, msg, area: areaOf(msg), time: new Date().toISOString(), ...(redact(fields) as Fields) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields: Fields = {}) => write("debug", msg, fields),
  info: (msg: string, fields: Fields = {}) => write("info", msg, fields),
  warn: (msg: string, fields: Fields = {}) => write("warn", msg, fields),
  error: (msg: string, fields: Fields = {}) => write("error", msg, fields),
};

export function errorFields(err: unknown): Fields {
  return err instanceof Error ? { error: err.message, errorName: err.name, stack: err.stack } : { error: String(err) };
}
