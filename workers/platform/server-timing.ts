/**
 * What one request costs in round trips: statements and transactions sent to
 * Postgres, sessions its own pool opened, and calls made to objects. Counted
 * only when `COST_HEADERS=on` (the benchmark and local runs), and answered in
 * a `Server-Timing` header, so a load generator can sum them per path without
 * reaching into the Worker.
 */
export interface RequestCost {
  statements: number;
  transactions: number;
  sessions: number;
  objectCalls: number;
}

export const newRequestCost = (): RequestCost => ({ statements: 0, transactions: 0, sessions: 0, objectCalls: 0 });

/** The `Server-Timing` value of a request's cost. */
export function serverTiming(cost: RequestCost): string {
  return [
    `db-statements;desc="${cost.statements}"`,
    `db-transactions;desc="${cost.transactions}"`,
    `db-sessions;desc="${cost.sessions}"`,
    `object-calls;desc="${cost.objectCalls}"`,
  ].join(", ");
}

/** Reads the counts back from a `Server-Timing` header (the benchmark's side). */
export function parseServerTiming(header: string | null | undefined): Partial<RequestCost> {
  const names: Record<string, keyof RequestCost> = {
    "db-statements": "statements",
    "db-transactions": "transactions",
    "db-sessions": "sessions",
    "object-calls": "objectCalls",
  };
  const out: Partial<RequestCost> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+);desc="(\d+)"/.exec(part);
    const key = m && names[m[1]!];
    if (key) out[key] = Number(m[2]);
  }
  return out;
}
