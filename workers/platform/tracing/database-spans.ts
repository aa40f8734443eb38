/**
 * Spans of the database port: one per statement sent outside a transaction
 * (each is its own round trip on the SQL-over-HTTP path) and one per
 * transaction, which covers its statements. Statements inside a transaction
 * get no span of their own: the transaction's span is the round trips' sum,
 * and a span per statement would multiply the cost of a traced request.
 */
import { endSpan, endWhenSettled, type SpanCollector, SpanKind } from "./span.ts";

const MAX_STATEMENT_CHARS = 500;
const DB_ATTRIBUTES = { "db.system.name": "postgresql" } as const;

type Fn = (...args: never[]) => unknown;

/** The statement's text (never its parameters), from `query(text, …)` or `query({ text, … })`. */
function statementText(arg: unknown): string {
  const text = typeof arg === "string" ? arg : ((arg as { text?: unknown } | null)?.text ?? "");
  return String(text).slice(0, MAX_STATEMENT_CHARS);
}

/** The first word of a statement, the span's name (`SELECT`, `INSERT`...). */
function operation(text: string): string {
  return /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "QUERY";
}

/** Wraps a pool's `query` and a drizzle database's `transaction` so each opens a client span in `collector`. */
export function traceDatabase(pool: { query: Fn }, db: { transaction: Fn }, collector: SpanCollector): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const text = statementText(args[0]);
    const span = collector.start({
      name: operation(text),
      kind: SpanKind.client,
      attributes: { ...DB_ATTRIBUTES, "db.query.text": text },
    });
    try {
      return endWhenSettled(span, query(...args));
    } catch (err) {
      endSpan(span, err);
      throw err;
    }
  }) as Fn;
  const transaction = db.transaction.bind(db) as (...args: unknown[]) => unknown;
  db.transaction = ((...args: unknown[]) => {
    const span = collector.start({ name: "transaction", kind: SpanKind.client, attributes: { ...DB_ATTRIBUTES } });
    return endWhenSettled(span, transaction(...args));
  }) as Fn;
}
