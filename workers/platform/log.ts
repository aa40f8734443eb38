/** Structured JSON logs, one object a line, so Workers Logs can index every field. */
type Fields = Record<string, unknown>;
export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let minimum: LogLevel = "info";

/** Set from the LOG_LEVEL var at each entry point (fetch, queue, scheduled). */
export function setLogLevel(level: LogLevel): void {
  minimum = level;
}

function write(level: LogLevel, msg: string, fields: Fields): void {
  if (RANK[level] < RANK[minimum]) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
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
