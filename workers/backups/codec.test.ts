import { describe, expect, it } from "vitest";
import { backupKey, decodePart, encodePart, isSealed, sha256Hex } from "./codec.ts";

const NDJSON = `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: `row-${i}`, total: i * 100, note: "ünïcødé \u0000" })).join("\n")}\n`;

describe("backup parts", () => {
  it("round-trips NDJSON through gzip, smaller than it was", async () => {
    const stored = await encodePart(NDJSON, null);
    expect(isSealed(stored)).toBe(false);
    expect(stored.length).toBeLessThan(NDJSON.length / 3);
    expect(await decodePart(stored, null)).toEqual(NDJSON.trimEnd().split("\n"));
  });

  it("seals with AES-GCM: the stored bytes show none of the rows, and only the key opens them", async () => {
    const key = await backupKey("a-long-random-secret-0123456789abcdef");
    const stored = await encodePart(NDJSON, key);
    expect(isSealed(stored)).toBe(true);
    expect(new TextDecoder("latin1").decode(stored)).not.toContain("row-1");
    expect(await decodePart(stored, key)).toHaveLength(200);
    await expect(decodePart(stored, null)).rejects.toThrow(/encrypted/);
    const other = await backupKey("another-secret-0123456789abcdef-xyz");
    await expect(decodePart(stored, other)).rejects.toThrow();
    // Two seals of the same text differ (a fresh IV each time).
    expect(await sha256Hex(await encodePart(NDJSON, key))).not.toBe(await sha256Hex(stored));
  });

  it("detects a flipped bit in a sealed part (GCM's tag), and the checksum changes with it", async () => {
    const key = await backupKey("a-long-random-secret-0123456789abcdef");
    const stored = await encodePart(NDJSON, key);
    const tampered = stored.slice();
    tampered[tampered.length - 40]! ^= 1;
    expect(await sha256Hex(tampered)).not.toBe(await sha256Hex(stored));
    await expect(decodePart(tampered, key)).rejects.toThrow();
  });
});
