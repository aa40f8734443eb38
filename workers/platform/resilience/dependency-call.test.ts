/**
 * One dependency call through the whole guard, against the real
 * CircuitBreaker object: the bulkhead refuses beyond its limit, an injected
 * slow answer hits the timeout, and only idempotent calls are retried.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CircuitBreaker } from "../../../durable-objects/circuit-breaker/index.ts";
import { testEnv, withTestDb } from "../../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../../test/helpers/events.ts";
import { eventually } from "../../../test/helpers/http.ts";
import type { Runtime } from "../runtime.ts";
import { CallTimedOut } from "./attempts.ts";
import { BulkheadFull, callDependency, dependencyCallsTotal } from "./dependency-call.ts";
import { faultPointOf, InjectedDependencyFault } from "./dependency-faults.ts";
import { CircuitCache } from "./shared-circuit.ts";

const injectedLeft = (dependency: "push" | "sms", key: string) =>
  withTestDb(async (db) => {
    const r = await db.execute<{ remaining: number }>(
      sql`select remaining from ops.fault_injections where point = ${faultPointOf(dependency)} and key = ${key}`,
    );
    return r.rows[0]?.remaining;
  });

const withVars = (vars: Record<string, string>): Runtime =>
  Object.assign(Object.create(testEnv) as Runtime, { vars: { ...testEnv.vars, ...vars } });

// The first call to an object class in a test run starts it (seconds); later calls take milliseconds.
beforeAll(async () => {
  for (const d of ["push", "sms"]) await testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", d).reset();
}, 60_000);

afterAll(async () => {
  await clearFault(faultPointOf("push"), "slow:400");
  await clearFault(faultPointOf("sms"), "fail");
  for (const d of ["push", "sms"]) await testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", d).reset();
});

describe("a guarded dependency call", () => {
  it("refuses a call beyond the bulkhead's limit at once, and admits again when a slot frees", async () => {
    const rt = withVars({ PROVIDER_MAX_CONCURRENT_CALLS: "2" });
    const gates: (() => void)[] = [];
    const held = () =>
      callDependency(
        rt,
        { dependency: "push", operation: "test", timeoutMs: 5000, idempotent: false, cache: new CircuitCache() },
        () => new Promise<string>((resolve) => gates.push(() => resolve("sent"))),
      );
    const first = held();
    const second = held();
    await expect(held()).rejects.toBeInstanceOf(BulkheadFull);
    // The two held calls are in flight once they passed the circuit.
    await eventually(async () => (gates.length === 2 ? true : undefined), 5000);
    for (const open of gates) open();
    expect(await Promise.all([first, second])).toEqual(["sent", "sent"]);
    const third = held();
    await eventually(async () => (gates.length === 3 ? true : undefined), 5000);
    gates[2]!();
    expect(await third).toBe("sent");
    expect(dependencyCallsTotal.value({ dependency: "push", operation: "test", outcome: "bulkhead_full" })).toBeGreaterThanOrEqual(1);
  });

  it("times out a provider made slow on demand", async () => {
    await injectFault(faultPointOf("push"), "slow:400", 1);
    let reached = false;
    const call = withTestDb((db) =>
      callDependency(
        testEnv,
        { dependency: "push", operation: "test", timeoutMs: 150, idempotent: false, db, cache: new CircuitCache() },
        async () => {
          reached = true;
          return "sent";
        },
      ),
    );
    await expect(call).rejects.toBeInstanceOf(CallTimedOut);
    // The fault was taken before the call, whose 400 ms wait the timeout cut short: the provider was never reached.
    expect(reached).toBe(false);
    expect(await injectedLeft("push", "slow:400")).toBe(0);
  });

  it("retries an injected failure only when the call is idempotent", async () => {
    await injectFault(faultPointOf("sms"), "fail", 1);
    let calls = 0;
    const send = async () => {
      calls += 1;
      return "sent";
    };
    await expect(
      withTestDb((db) => callDependency(testEnv, { dependency: "sms", operation: "test", timeoutMs: 1000, idempotent: false, db }, send)),
    ).rejects.toBeInstanceOf(InjectedDependencyFault);
    expect(calls).toBe(0);
    await injectFault(faultPointOf("sms"), "fail", 1);
    expect(
      await withTestDb((db) =>
        callDependency(testEnv, { dependency: "sms", operation: "test", timeoutMs: 1000, idempotent: true, db }, send),
      ),
    ).toBe("sent");
    expect(calls).toBe(1);
  });
});
