import { describe, expect, it } from "vitest";
import { testBindings } from "../../test/helpers/db.ts";

const stubFor = (label: string) =>
  testBindings.LOGIN_THROTTLE.get(testBindings.LOGIN_THROTTLE.idFromName(`${label}-${crypto.randomUUID()}`));

describe("LoginThrottle Durable Object", () => {
  it("admits exactly the limit of many racing attempts", async () => {
    const stub = stubFor("race");
    const policy = { limit: 5, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => stub.attempt(`a${i}`, policy)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    for (const d of decisions) if (!d.allowed) expect(d.retryAfterMs).toBeGreaterThan(55_000);
    expect(await stub.count(60_000)).toBe(5);
  });

  it("opens again once the window has passed, and forgives and resets", async () => {
    const stub = stubFor("window");
    const policy = { limit: 2, windowMs: 150 };
    expect((await stub.attempt("a", policy)).allowed).toBe(true);
    expect((await stub.attempt("b", policy)).allowed).toBe(true);
    expect((await stub.attempt("c", policy)).allowed).toBe(false);
    await stub.forgive("a");
    expect((await stub.attempt("c", policy)).allowed).toBe(true);
    expect((await stub.attempt("d", policy)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect((await stub.attempt("d", policy)).allowed).toBe(true);
    await stub.reset();
    expect(await stub.count(60_000)).toBe(0);
  });
});
