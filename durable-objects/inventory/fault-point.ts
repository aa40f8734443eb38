/**
 * Fault injection for the inventory objects (tests and drills): with
 * FAULT_INJECTION on, a row in ops.fault_injections for the point and key
 * makes the step throw. Off (production), it costs nothing.
 */
import { platformConfig } from "../../workers/platform/config.ts";
import { withDb } from "../../workers/platform/db.ts";
import { failIfInjected, InjectedFault } from "../../workers/platform/faults.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";

export async function faultPoint(rt: Pick<Runtime, "vars">, point: string, key: string): Promise<void> {
  if (platformConfig.read(rt).FAULT_INJECTION !== "on") return;
  await withDb(rt, (db) => failIfInjected(rt, db, point, key));
}

/** The first key armed for `point` (consuming it), looked up over one connection; null when none is. */
export async function firstFault(rt: Pick<Runtime, "vars">, point: string, keys: string[]): Promise<string | null> {
  if (platformConfig.read(rt).FAULT_INJECTION !== "on") return null;
  return withDb(rt, async (db) => {
    for (const key of keys) {
      try {
        await failIfInjected(rt, db, point, key);
      } catch (err) {
        if (err instanceof InjectedFault) return key;
        throw err;
      }
    }
    return null;
  });
}
