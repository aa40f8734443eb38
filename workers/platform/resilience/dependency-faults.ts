/**
 * Fault injection per dependency, for development and tests only (refused
 * in production like every fault point: faults.ts). A row of
 * `ops.fault_injections` with point `dependency:<name>` makes the next
 * calls to that dependency (`remaining` of them, or all while it is null):
 *
 * - `fail`: fail as a provider that answers 5xx or not at all;
 * - `slow:<ms>`: wait `ms` before the call (the call's timeout still applies);
 * - `drop`: make the call, then lose its answer (the provider did the work).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db.ts";
import { faultInjectionEnabled } from "../faults.ts";
import type { Runtime } from "../runtime.ts";
import type { DependencyName } from "./dependencies.ts";

export class InjectedDependencyFault extends Error {
  override name = "InjectedDependencyFault";
}

export type DependencyFault = { kind: "fail" } | { kind: "drop" } | { kind: "slow"; ms: number };

export const faultPointOf = (dependency: DependencyName) => `dependency:${dependency}`;

export function parseFault(key: string): DependencyFault | null {
  if (key === "fail" || key === "drop") return { kind: key };
  const slow = /^slow:(\d{1,6})$/.exec(key);
  return slow ? { kind: "slow", ms: Number(slow[1]) } : null;
}

/** Takes one injected fault of the dependency, if any (consuming one of its `remaining`). */
export async function takeDependencyFault(
  rt: Pick<Runtime, "vars">,
  db: Database | undefined,
  dependency: DependencyName,
): Promise<DependencyFault | null> {
  if (!db || !faultInjectionEnabled(rt)) return null;
  const hit = await db.execute<{ key: string }>(sql`
    with hit as (
      select point, key from ops.fault_injections
      where point = ${faultPointOf(dependency)} and (remaining is null or remaining > 0)
      order by created_at limit 1
      for update skip locked
    )
    update ops.fault_injections f set remaining = case when f.remaining is null then null else f.remaining - 1 end
    from hit where f.point = hit.point and f.key = hit.key
    returning f.key`);
  const key = hit.rows[0]?.key;
  return key ? parseFault(key) : null;
}

/** Waits `ms`, or less when the call is abandoned (its timeout fired). */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
