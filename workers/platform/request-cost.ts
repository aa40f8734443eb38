/**
 * Counting a request's object calls (see server-timing.ts for what a request's
 * cost is and how it is answered). Calls objects make to other objects are
 * theirs, not the request's, and are not counted here.
 */
import type { Runtime } from "./runtime.ts";
import type { RequestCost } from "./server-timing.ts";

/** The same runtime, counting every call made through an object stub it hands out. */
export function countingObjects(rt: Runtime, cost: RequestCost): Runtime {
  const counted: Runtime = Object.create(rt);
  Object.defineProperty(counted, "objects", {
    value: {
      has: (namespace: string) => rt.objects.has(namespace),
      get(namespace: string, name: string) {
        const stub = rt.objects.get(namespace, name) as unknown as Record<string | symbol, unknown>;
        return new Proxy(stub, {
          get(target, prop) {
            const value = Reflect.get(target, prop);
            if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value;
            return (...args: unknown[]) => {
              cost.objectCalls++;
              // Reflect.apply: an RPC stub would take `.apply` for the name of a remote method.
              return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
            };
          },
        });
      },
    },
  });
  return counted;
}
