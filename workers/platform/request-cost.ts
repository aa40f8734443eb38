/**
 * Counting a request's object calls (see server-timing.ts for what a request's
 * cost is and how it is answered). Calls objects make to other objects are
 * theirs, not the request's, and are not counted here.
 */
import type { Runtime } from "./runtime.ts";
import type { RequestCost } from "./server-timing.ts";
import { observingObjects } from "./tracing/observed-objects.ts";

/** The same runtime, counting every call made through an object stub it hands out. */
export function countingObjects(rt: Runtime, cost: RequestCost): Runtime {
  return observingObjects(rt, (_namespace, _method, call) => {
    cost.objectCalls++;
    return call();
  });
}
