/**
 * Fault injection for the inventory objects (tests and drills): with
 * FAULT_INJECTION on, a row in ops.fault_injections for the point and key
 * makes the step throw. Off (production), it costs nothing.
 */
import { withDb } from "../../workers/platform/db.ts";
import { readConfig, type Env } from "../../workers/platform/env.ts";
import { failIfInjected, InjectedFault } from "../../workers/platform/faults.ts";

export async function faultPoint(env: Env, point: string, key: string): Promise<void> {
  if (readConfig(env).FAULT_INJECTION !== "on") return;
  await withDb(env, (db) => failIfInjected(env, db, point, key));
}

/** The first key armed for `point` (consuming it), looked up over one connection; null when none is. */
export async function firstFault(env: Env, point: string, keys: string[]): Promise<string | null> {
  if (readConfig(env).FAULT_INJECTION !== "on") return null;
  return withDb(env, async (db) => {
    for (const key of keys) {
      try {
        await failIfInjected(env, db, point, key);
      } catch (err) {
        if (err instanceof InjectedFault) return key;
        throw err;
      }
    }
    return null;
  });
}
