/**
 * The env the object classes get on Deno. They are written for Durable
 * Objects and build their ports from Workers bindings (the Cloudflare
 * adapter's `cloudflareRuntime(env)`); here each binding is a thin shape of
 * the Workers one over the Deno ports, so the same classes reach other
 * objects, queues and buckets without knowing which runtime they are on.
 */
import type { Runtime } from "../runtime.ts";

export interface BindingNames {
  namespaces: readonly string[];
  queues: readonly string[];
  buckets: readonly string[];
}

export function workerStyleEnv(vars: Record<string, unknown>, rt: Runtime, names: BindingNames): Record<string, unknown> {
  const env: Record<string, unknown> = { ...vars };
  for (const namespace of names.namespaces) {
    env[namespace] = {
      idFromName: (name: string) => ({ name, toString: () => name, equals: (o: { name?: string }) => o.name === name }),
      get: (id: { name: string }) => rt.objects.get(namespace, id.name),
    };
  }
  for (const binding of names.queues) {
    env[binding] = {
      send: (body: unknown) => rt.queues.send(binding, body),
      sendBatch: (messages: { body: unknown }[]) =>
        rt.queues.sendBatch(
          binding,
          messages.map((m) => m.body),
        ),
    };
  }
  for (const bucket of names.buckets) env[bucket] = rt.blobs.bucket(bucket);
  return env;
}
