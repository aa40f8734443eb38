/** Order ids from Idempotency-Keys and request hashes. */
import { describe, expect, it } from "vitest";
import { isId } from "../platform/ids.ts";
import { canonicalJson, orderIdForKey, requestHash } from "./idempotency.ts";

describe("order idempotency", () => {
  it("derives the same order id for the same caller and key, another for another caller or key", async () => {
    const a = await orderIdForKey("usr_1", "key-1");
    expect(isId(a, "ord")).toBe(true);
    expect(await orderIdForKey("usr_1", "key-1")).toBe(a);
    expect(await orderIdForKey("usr_2", "key-1")).not.toBe(a);
    expect(await orderIdForKey("usr_1", "key-2")).not.toBe(a);
  });

  it("hashes bodies by content, whatever the order of their keys", async () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: null }], c: undefined })).toBe('{"a":[{"x":null,"y":2}],"b":1}');
    expect(await requestHash({ a: 1, b: { c: 2, d: 3 } })).toBe(await requestHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(await requestHash({ a: 1 })).not.toBe(await requestHash({ a: 2 }));
  });
});
