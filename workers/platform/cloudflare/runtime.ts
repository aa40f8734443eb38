/**
 * The Cloudflare adapter of the ports: bindings of the Worker's env behind
 * the Runtime interfaces. Only this folder, the Worker entry and the Durable
 * Object classes see the raw env.
 */
import { type BlobStore, type CoarseLimiter, type MetricsDataset, type Runtime, systemClock } from "../runtime.ts";
import { observedStub } from "../tracing/observed-objects.ts";
import { countObjectCall } from "./object-metrics.ts";

/** The Worker's env: bindings and vars, read only through the ports and the config readers. */
export type CloudflareEnv = Record<string, unknown>;

function binding<T>(env: CloudflareEnv, name: string, what: string): T {
  const value = env[name];
  if (value === undefined || value === null) throw new Error(`The ${what} binding ${name} is not configured`);
  return value as T;
}

const runtimes = new WeakMap<object, Runtime>();

/**
 * The Runtime of one env. The env object is the same for every request of an
 * isolate, so the runtime (and the config parsed from its vars) is built
 * once; `waitUntil` is the one of the call at hand.
 */
export function cloudflareRuntime(env: CloudflareEnv, waitUntil?: (p: Promise<unknown>) => void): Runtime {
  let base = runtimes.get(env);
  if (!base) {
    base = buildRuntime(env);
    runtimes.set(env, base);
  }
  if (!waitUntil) return base;
  // A thin per-call object over the shared one: nothing is copied (nor the cache getter run) per request.
  const call: Runtime = Object.create(base);
  Object.defineProperty(call, "waitUntil", { value: waitUntil });
  return call;
}

/**
 * The objects port over the env's namespaces. With `onCall`, each stub is a
 * proxy whose method calls are reported first (counted per class and method,
 * object-metrics.ts); without it, the runtime's own stubs, which is what the
 * vitest helpers `runInDurableObject` and `runDurableObjectAlarm` accept.
 */
export function cloudflareObjects(env: CloudflareEnv, onCall?: (namespace: string, method: string) => void): Runtime["objects"] {
  return {
    get(namespace, name) {
      const ns = binding<DurableObjectNamespace>(env, namespace, "Durable Object");
      const stub = ns.get(ns.idFromName(name));
      if (!onCall) return stub as never;
      return observedStub(namespace, stub, (_, method, call) => {
        onCall(namespace, method);
        return call();
      }) as never;
    },
    has: (namespace) => typeof (env[namespace] as DurableObjectNamespace | undefined)?.idFromName === "function",
  };
}

function buildRuntime(env: CloudflareEnv): Runtime {
  const rt: Runtime = {
    vars: env,
    objects: cloudflareObjects(env, (namespace, method) => countObjectCall(rt, namespace, method)),
    queues: {
      send: async (queue, body) => void (await binding<Queue>(env, queue, "queue").send(body, { contentType: "json" })),
      sendBatch: async (queue, bodies) =>
        void (await binding<Queue>(env, queue, "queue").sendBatch(bodies.map((body) => ({ body, contentType: "json" as const })))),
      has: (queue) => typeof (env[queue] as Queue | undefined)?.send === "function",
    },
    blobs: { bucket: (name) => binding<BlobStore>(env, name, "R2 bucket") },
    get cache() {
      return caches.default;
    },
    clock: systemClock,
    operability: {
      coarseLimiter: (name) => {
        const bound = env[name] as CoarseLimiter | undefined;
        return typeof bound?.limit === "function" ? bound : undefined;
      },
      metricsDataset: (name) => {
        const bound = env[name] as MetricsDataset | undefined;
        return typeof bound?.writeDataPoint === "function" ? bound : undefined;
      },
    },
    waitUntil(promise) {
      // Outside a request (a unit test calling a service) nothing keeps the isolate alive; the promise still runs.
      void promise;
    },
  };
  return rt;
}
