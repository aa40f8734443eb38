/**
 * Observing the calls made through an objects port (Durable Object stubs):
 * the request's cost counts them, tracing times them. Structural types
 * only, so any runtime with an objects port can be wrapped.
 */

/** Runs one object call: `call` makes it; the observer may count or time it and must return its result. */
export type ObjectCallObserver = (namespace: string, method: string, call: () => unknown) => unknown;

interface WithObjects {
  readonly objects: { get(namespace: string, name: string): unknown; has(namespace: string): boolean };
}

/** The stub, every method call on it going through `observe`. */
export function observedStub<T>(namespace: string, stub: T, observe: ObjectCallObserver): T {
  return new Proxy(stub as Record<string | symbol, unknown>, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value;
      return (...args: unknown[]) =>
        // Reflect.apply: an RPC stub would take `.apply` for the name of a remote method.
        observe(namespace, prop, () => Reflect.apply(value as (...a: unknown[]) => unknown, target, args));
    },
  }) as T;
}

/** The same runtime, every method call on an object stub it hands out going through `observe`. */
export function observingObjects<R extends WithObjects>(rt: R, observe: ObjectCallObserver): R {
  const observed: R = Object.create(rt);
  Object.defineProperty(observed, "objects", {
    value: {
      has: (namespace: string) => rt.objects.has(namespace),
      get: (namespace: string, name: string) => observedStub(namespace, rt.objects.get(namespace, name), observe),
    },
  });
  return observed;
}
