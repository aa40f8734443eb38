import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMS, hashPassword, MAX_ITERATIONS, needsRehash, paramsForTotal, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("verifies the password it hashed with the default policy of 600,000 iterations in six calls", async () => {
    expect(DEFAULT_PARAMS).toEqual({ iterations: 100_000, rounds: 6 });
    const stored = await hashPassword("correct horse battery staple");
    expect(stored.split("$")[1]).toBe("i=100000,r=6");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery staple", { iterations: 1_000, rounds: 2 });
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("chains the rounds: the same salt and total work in one call gives another hash", async () => {
    const chained = await hashPassword("pw-chained", { iterations: 500, rounds: 2 });
    const [, , salt, hash] = chained.split("$");
    const single = `pbkdf2-sha256$i=1000,r=1$${salt}$${hash}`;
    expect(await verifyPassword("pw-chained", chained)).toBe(true);
    expect(await verifyPassword("pw-chained", single)).toBe(false);
  });

  it("records the algorithm, the parameters, a 16-byte salt and a 32-byte hash", async () => {
    const stored = await hashPassword("pw", { iterations: 1_234, rounds: 3 });
    const [algorithm, params, salt, hash] = stored.split("$");
    expect(algorithm).toBe("pbkdf2-sha256");
    expect(params).toBe("i=1234,r=3");
    expect(atob(salt!)).toHaveLength(16);
    expect(atob(hash!)).toHaveLength(32);
  });

  it("still verifies the first format, which had the iteration count alone", async () => {
    const modern = await hashPassword("legacy-password", 1_000);
    const [, , salt, hash] = modern.split("$");
    expect(await verifyPassword("legacy-password", `pbkdf2-sha256$1000$${salt}$${hash}`)).toBe(true);
  });

  it("refuses iteration counts the Workers runtime cannot verify", async () => {
    await expect(hashPassword("pw", MAX_ITERATIONS + 1)).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", 0)).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", { iterations: 10, rounds: 0 })).rejects.toThrow(RangeError);
    expect(await verifyPassword("pw", "pbkdf2-sha256$i=100001,r=1$AAAA$AAAA")).toBe(false);
  });

  it("salts each hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same", 1_000), hashPassword("same", 1_000)]);
    expect(a).not.toBe(b);
  });

  it("normalises Unicode, so composed and decomposed accents are the same password", async () => {
    const stored = await hashPassword("caf\u00e9-au-lait-long", 1_000);
    expect(await verifyPassword("cafe\u0301-au-lait-long", stored)).toBe(true);
  });

  it("returns false for malformed stored values instead of throwing", async () => {
    for (const stored of [
      "",
      "plain",
      "bcrypt$10$abc$def",
      "pbkdf2-sha256$x$AAAA$AAAA",
      "pbkdf2-sha256$1000$!!$AAAA",
      "pbkdf2-sha256$1000$AAAA$",
      "pbkdf2-sha256$i=10,r=x$AAAA$AAAA",
    ]) {
      expect(await verifyPassword("pw", stored)).toBe(false);
    }
  });
});

describe("parameters and upgrades", () => {
  it("splits a total work factor into as few calls as the per-call limit allows", () => {
    expect(paramsForTotal(600_000)).toEqual({ iterations: 100_000, rounds: 6 });
    expect(paramsForTotal(100_000)).toEqual({ iterations: 100_000, rounds: 1 });
    expect(paramsForTotal(250_000)).toEqual({ iterations: 83_334, rounds: 3 });
    expect(paramsForTotal(20_000)).toEqual({ iterations: 20_000, rounds: 1 });
    expect(() => paramsForTotal(0)).toThrow(RangeError);
  });

  it("asks for a rehash when the stored parameters differ from the policy", async () => {
    const policy = { iterations: 2_000, rounds: 2 };
    expect(needsRehash(await hashPassword("pw", policy), policy)).toBe(false);
    expect(needsRehash(await hashPassword("pw", 1_000), policy)).toBe(true);
    expect(needsRehash(await hashPassword("pw", { iterations: 2_000, rounds: 3 }), policy)).toBe(true);
    expect(needsRehash("pbkdf2-sha256$2000$AAAA$AAAA", policy)).toBe(true);
    expect(needsRehash("garbage", policy)).toBe(true);
  });
});
