/** Structured JSON logs, one object a line, so Workers Logs can index every field. */
type Fields = Record<string, unknown>;
export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let minimum: LogLevel = "info";

/** Set from the LOG_LEVEL var at each entry point (fetch, queue, scheduled). */
export function setLogLevel(level: LogLevel): void {
  minimum = level;
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
  if (RANK[level] < RANK[minimum]) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...(redact(fields) as Fields) });
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
