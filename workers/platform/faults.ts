/**
 * Fault injection points for tests and chaos drills. When FAULT_INJECTION is
 * on, `failIfInjected(db, point, key)` throws if `ops.fault_injections` holds
 * a row for the point and key, consuming one of its `remaining` failures.
 * It runs in its own statement, outside any business transaction, so the
 * consumed count survives the rollback the failure causes.
 */
import { sql } from "drizzle-orm";
import { ConfigError, platformConfig } from "./config.ts";
import type { Database } from "./db.ts";
import type { Runtime } from "./runtime.ts";

export class InjectedFault extends Error {
  override name = "InjectedFault";
}

/**
 * Whether fault injection is on. In production it is a configuration error,
 * thrown at every fault point (so every request and batch that would reach
 * one fails loudly), never a fault injected into real traffic.
 */
export function faultInjectionEnabled(rt: Pick<Runtime, "vars">): boolean {
  const { APP_ENV, FAULT_INJECTION } = platformConfig.read(rt);
  if (FAULT_INJECTION !== "on") return false;
  if (APP_ENV === "production") {
    throw new ConfigError(
      "Invalid configuration (platform): FAULT_INJECTION: fault injection is refused in production (APP_ENV=production)",
    );
  }
  return true;
}

export async function failIfInjected(rt: Pick<Runtime, "vars">, db: Database, point: string, key: string): Promise<void> {
  if (!faultInjectionEnabled(rt)) return;
  const hit = await db.execute<{ point: string }>(sql`
    with hit as (
      select point, key from ops.fault_injections
      where point = ${point} and key = ${key} and (remaining is null or remaining > 0)
      for update
    )
    update ops.fault_injections f set remaining = case when f.remaining is null then null else f.remaining - 1 end
    from hit where f.point = hit.point and f.key = hit.key
    returning f.point`);
  if (hit.rows.length > 0) throw new InjectedFault(`injected fault at ${point} for ${key}`);
}
