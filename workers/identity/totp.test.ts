import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode } from "./crypto.ts";
import { hotp, matchStep, otpauthUri, stepAt, totp } from "./totp.ts";

const RFC_SECRET = new TextEncoder().encode("12345678901234567890");

describe("HOTP and TOTP", () => {
  it("matches the RFC 4226 test values", async () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(await Promise.all(expected.map((_, i) => hotp(RFC_SECRET, i)))).toEqual(expected);
  });

  it("matches the RFC 6238 SHA-1 test values (8 digits)", async () => {
    const vectors: [number, string][] = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [seconds, code] of vectors) expect(await totp(RFC_SECRET, seconds * 1000, 8)).toBe(code);
  });

  it("accepts a code of the previous, current or next step, newer than the last one used", async () => {
    const now = 1_700_000_000_000;
    const step = stepAt(now);
    for (const offset of [-1, 0, 1]) expect(await matchStep(RFC_SECRET, await hotp(RFC_SECRET, step + offset), now, 0)).toBe(step + offset);
    expect(await matchStep(RFC_SECRET, await hotp(RFC_SECRET, step + 2), now, 0)).toBeNull();
    expect(await matchStep(RFC_SECRET, await hotp(RFC_SECRET, step - 2), now, 0)).toBeNull();
    // Once a step is used, it and every earlier step are refused: a code works once.
    expect(await matchStep(RFC_SECRET, await hotp(RFC_SECRET, step), now, step)).toBeNull();
    expect(await matchStep(RFC_SECRET, await hotp(RFC_SECRET, step + 1), now, step)).toBe(step + 1);
    expect(await matchStep(RFC_SECRET, "12345", now, 0)).toBeNull();
    expect(await matchStep(RFC_SECRET, "abcdef", now, 0)).toBeNull();
  });

  it("writes base32 secrets and otpauth URIs that authenticator apps read", () => {
    expect(base32Encode(RFC_SECRET)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("gezdgnbvgy3tqojqgezdgnbvgy3tqojq")).toEqual(RFC_SECRET);
    expect(base32Decode("not base32!")).toBeUndefined();
    const uri = new URL(otpauthUri(RFC_SECRET, "Edge Commerce", "ana@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Edge Commerce:ana@example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      issuer: "Edge Commerce",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });
});
