/**
 * A Durable Object class observed: its storage writes and alarm lag counted
 * by class (object-metrics.ts), without touching the class's own code.
 */
import type { DurableObject } from "cloudflare:workers";
import { writeMetricPoint } from "../metric-points.ts";
import type { Runtime } from "../runtime.ts";
import { alarmLag, storageWrites } from "./object-metrics.ts";
import { type CloudflareEnv, cloudflareRuntime } from "./runtime.ts";

const SQL_WRITE = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;

interface AlarmClock {
  scheduledAt: number | null;
}

type Method = (...args: never[]) => unknown;

/** Replaces `names` on this one object (own properties: the class and every other instance keep theirs). */
function patch(target: object, replace: (original: Method, name: string) => Method, names: readonly string[]): void {
  for (const name of names) {
    const original = Reflect.get(target, name) as Method | undefined;
    if (typeof original !== "function") continue;
    Object.defineProperty(target, name, { value: replace(original.bind(target) as Method, name), configurable: true, writable: true });
  }
}

/**
 * Counts the writes of one object's storage, in place: the runtime accepts
 * no stand-in for the state it constructs the object with, so the
 * instance's own storage object gets counting methods. `setAlarm`
 * remembers when the alarm is due.
 */
function countStorageWrites(storage: DurableObjectStorage, write: (n: number) => void, clock: AlarmClock): void {
  const keyWrites = (target: object) =>
    patch(
      target,
      (original, name) =>
        ((first: unknown, ...rest: unknown[]) => {
          write(
            name === "deleteAll" || typeof first === "string"
              ? 1
              : Array.isArray(first)
                ? first.length
                : Object.keys(first as object).length,
          );
          return (original as (...a: unknown[]) => unknown)(first, ...rest);
        }) as Method,
      ["put", "delete", "deleteAll"],
    );
  keyWrites(storage);
  patch(
    storage,
    (original) =>
      ((time: number | Date, ...rest: unknown[]) => {
        clock.scheduledAt = typeof time === "number" ? time : time.getTime();
        write(1);
        return (original as (...a: unknown[]) => unknown)(time, ...rest);
      }) as Method,
    ["setAlarm"],
  );
  patch(
    storage,
    (original) =>
      ((fn: (txn: DurableObjectTransaction) => Promise<unknown>, ...rest: unknown[]) =>
        (original as (...a: unknown[]) => unknown)(
          (txn: DurableObjectTransaction) => {
            keyWrites(txn);
            return fn(txn);
          },
          ...rest,
        )) as Method,
    ["transaction"],
  );
  let sql: SqlStorage | undefined;
  try {
    sql = storage.sql;
  } catch {
    // A key-value object has no SQL storage.
  }
  if (sql)
    patch(
      sql,
      (original) =>
        ((query: string, ...bindings: unknown[]) => {
          if (SQL_WRITE.test(query)) write(1);
          return (original as (...a: unknown[]) => unknown)(query, ...bindings);
        }) as Method,
      ["exec"],
    );
}

// biome-ignore lint/suspicious/noExplicitAny: any object class, whatever env type it declares
type ObjectClass = new (ctx: DurableObjectState, env: any) => DurableObject<any>;

/**
 * The class, its storage writes and alarm lag observed under `className`.
 * The object's own code is unchanged: its storage counts its writes, and its alarm is timed against the time it was set for (known
 * while the object stayed in memory since setting it).
 */
export function observedObject<C extends ObjectClass>(className: string, Base: C): C {
  const Observed = class extends (Base as ObjectClass) {
    constructor(ctx: DurableObjectState, env: CloudflareEnv) {
      const clock: AlarmClock = { scheduledAt: null };
      const rt = cloudflareRuntime(env);
      const write = (n: number) => {
        storageWrites.inc({ class: className }, n);
        writeMetricPoint(rt, "durable_object_storage_write", [className], [n]);
      };
      countStorageWrites(ctx.storage, write, clock);
      super(ctx, env);
      alarmClocks.set(this, { clock, rt });
    }
  };
  const baseAlarm = (Base.prototype as { alarm?: (...args: unknown[]) => unknown }).alarm;
  if (typeof baseAlarm === "function") {
    Object.defineProperty(Observed.prototype, "alarm", {
      value: function (this: object, ...args: unknown[]) {
        const known = alarmClocks.get(this);
        if (known?.clock.scheduledAt != null) {
          const lagSeconds = Math.max(0, Date.now() - known.clock.scheduledAt) / 1000;
          alarmLag.observe({ class: className }, lagSeconds);
          writeMetricPoint(known.rt, "durable_object_alarm", [className], [lagSeconds]);
          known.clock.scheduledAt = null;
        }
        return baseAlarm.apply(this, args);
      },
      writable: true,
      configurable: true,
    });
  }
  Object.defineProperty(Observed, "name", { value: className });
  return Observed as unknown as C;
}

const alarmClocks = new WeakMap<object, { clock: AlarmClock; rt: Runtime }>();
