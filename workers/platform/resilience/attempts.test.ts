/** Timeouts, jittered back-off and retries only while the error allows it; the bulkhead's slots. */
import { describe, expect, it } from "vitest";
import { CallTimedOut, jitteredDelayMs, withRetries, withTimeout } from "./attempts.ts";
import { Bulkhead } from "./bulkhead.ts";

describe("attempts", () => {
  it("times a slow call out and aborts its signal", async () => {
    let aborted = false;
    const slow = withTimeout(20, (signal) => {
      signal.addEventListener("abort", () => {
        aborted = true;
      });
      return new Promise<string>((resolve) => setTimeout(() => resolve("late"), 500));
    });
    await expect(slow).rejects.toBeInstanceOf(CallTimedOut);
    expect(aborted).toBe(true);
    expect(await withTimeout(500, async () => "fast")).toBe("fast");
  });

  it("draws the back-off uniformly below a doubling cap", () => {
    expect(jitteredDelayMs(1, 100, 1000, () => 0.999)).toBe(99);
    expect(jitteredDelayMs(3, 100, 1000, () => 0.5)).toBe(200);
    expect(jitteredDelayMs(10, 100, 1000, () => 0.999)).toBe(999);
    expect(jitteredDelayMs(2, 100, 1000, () => 0)).toBe(0);
  });

  it("retries a retryable error up to the attempts, and a final one never", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    let calls = 0;
    const flaky = () => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error("503")) : Promise.resolve("ok");
    };
    expect(await withRetries({ attempts: 3, baseMs: 10, capMs: 100 }, flaky, () => true, sleep)).toBe("ok");
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);

    calls = 0;
    await expect(withRetries({ attempts: 5, baseMs: 10, capMs: 100 }, flaky, () => false, sleep)).rejects.toThrow("503");
    expect(calls).toBe(1);
    calls = -10;
    await expect(withRetries({ attempts: 2, baseMs: 10, capMs: 100 }, flaky, () => true, sleep)).rejects.toThrow("503");
    expect(calls).toBe(-8);
  });

  it("a bulkhead refuses beyond its limit until a slot is released", () => {
    const b = new Bulkhead(2);
    expect([b.tryAcquire(), b.tryAcquire(), b.tryAcquire()]).toEqual([true, true, false]);
    expect(b.active).toBe(2);
    b.release();
    expect(b.tryAcquire()).toBe(true);
    b.release();
    b.release();
    b.release();
    expect(b.active).toBe(0);
  });
});
