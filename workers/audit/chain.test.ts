import { describe, expect, it } from "vitest";
import { type ChainedFields, canonicalJson, entryHash, GENESIS_HASH } from "./chain.ts";
import { REDACTED, redactPersonalData } from "./redact.ts";

const fields: ChainedFields = {
  seq: 1,
  eventId: "evt_1",
  type: "OrderCreated",
  version: 1,
  topic: "order",
  source: "orders",
  subjectType: "order",
  subjectId: "ord_1",
  actorType: "user",
  actorId: "usr_1",
  correlationId: "req_1",
  occurredAt: "2026-01-02T03:04:05.678Z",
  recordedAt: "2026-01-02T03:04:06.000Z",
  payload: { b: 2, a: [1, { d: 4, c: 3 }] },
};

describe("canonical form", () => {
  it("sorts keys at every level and is independent of insertion order", () => {
    expect(canonicalJson({ b: 1, a: { z: 1, y: [2, { q: 1, p: 0 }] } })).toBe('{"a":{"y":[2,{"p":0,"q":1}],"z":1},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("hashes the same entry the same way whatever the timestamp format", async () => {
    const pgFormat = { ...fields, occurredAt: "2026-01-02 03:04:05.678+00" };
    expect(await entryHash(GENESIS_HASH, pgFormat)).toBe(await entryHash(GENESIS_HASH, fields));
  });

  it("changes the hash when content, position or predecessor changes", async () => {
    const base = await entryHash(GENESIS_HASH, fields);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await entryHash(GENESIS_HASH, { ...fields, payload: { b: 3, a: [1, { d: 4, c: 3 }] } })).not.toBe(base);
    expect(await entryHash(GENESIS_HASH, { ...fields, seq: 2 })).not.toBe(base);
    expect(await entryHash("f".repeat(64), fields)).not.toBe(base);
  });
});

describe("personal data", () => {
  it("is redacted at any depth, while ids and business fields stay", () => {
    const out = redactPersonalData({
      userId: "usr_1",
      email: "a@b.c",
      shipping: { street: "1 Main St", postal_code: "12345", country: "DE" },
      lines: [{ sku: "X", phone: "+1" }],
      total: 10,
    });
    expect(out).toEqual({
      userId: "usr_1",
      email: REDACTED,
      shipping: { street: REDACTED, postal_code: REDACTED, country: "DE" },
      lines: [{ sku: "X", phone: REDACTED }],
      total: 10,
    });
  });
});
