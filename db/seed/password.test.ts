import { describe, expect, it } from "vitest";
import { hashPassword, MAX_ITERATIONS, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("verifies the password it hashed", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery staple", 1_000);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("records the algorithm, the iteration count, a 16-byte salt and a 32-byte hash", async () => {
    const stored = await hashPassword("pw", 1_234);
    const [algorithm, iterations, salt, hash] = stored.split("$");
    expect(algorithm).toBe("pbkdf2-sha256");
    expect(iterations).toBe("1234");
    expect(atob(salt!)).toHaveLength(16);
    expect(atob(hash!)).toHaveLength(32);
    expect((await hashPassword("pw")).split("$")[1]).toBe(String(MAX_ITERATIONS));
  });

  it("refuses iteration counts the Workers runtime cannot verify", async () => {
    await expect(hashPassword("pw", MAX_ITERATIONS + 1)).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", 0)).rejects.toThrow(RangeError);
  });

  it("salts each hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same", 1_000), hashPassword("same", 1_000)]);
    expect(a).not.toBe(b);
  });

  it("returns false for malformed stored values instead of throwing", async () => {
    for (const stored of ["", "plain", "bcrypt$10$abc$def", "pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA", "pbkdf2-sha256$1000$AAAA$"]) {
      expect(await verifyPassword("pw", stored)).toBe(false);
    }
  });
});
