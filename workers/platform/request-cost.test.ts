import { describe, expect, it } from "vitest";
import { countingObjects } from "./request-cost.ts";
import type { Runtime } from "./runtime.ts";
import { newRequestCost, parseServerTiming, serverTiming } from "./server-timing.ts";

describe("request cost", () => {
  it("writes and reads back the counts of a Server-Timing header", () => {
    const cost = { statements: 3, transactions: 1, sessions: 1, objectCalls: 2 };
    expect(parseServerTiming(serverTiming(cost))).toEqual(cost);
    expect(parseServerTiming(`cache;desc="hit", ${serverTiming(cost)}`)).toEqual(cost);
    expect(parseServerTiming(null)).toEqual({});
  });

  it("counts every method call made through the stubs it hands out, and nothing else", async () => {
    const stub = { id: "obj-1", level: async (sku: string) => ({ sku, available: 4 }), reserve: async () => "ok" };
    const rt = { objects: { get: () => stub, has: () => true }, vars: {} } as unknown as Runtime;
    const cost = newRequestCost();
    const counted = countingObjects(rt, cost);
    const s = counted.objects.get("INVENTORY", "sku-1") as unknown as typeof stub;
    expect(s.id).toBe("obj-1");
    expect(await s.level("sku-1")).toEqual({ sku: "sku-1", available: 4 });
    await s.reserve();
    await s.level("sku-2");
    expect(cost.objectCalls).toBe(3);
    expect(counted.vars).toBe(rt.vars);
    expect(counted.objects.has("INVENTORY")).toBe(true);
  });
});
