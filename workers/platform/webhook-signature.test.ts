/** Webhook signatures: HMAC-SHA256 over `${t}.${body}`, several secrets and signatures, 5 minutes tolerance. */
import { describe, expect, it } from "vitest";
import { safeEqual } from "./auth.ts";
import { hmacSha256Hex, parseSignatureHeader, signatureHeader, verifySignature } from "./webhook-signature.ts";

const NEW = "whsec_new_secret_0123456789";
const OLD = "whsec_old_secret_0123456789";
const body = '{"id":"evt_1","type":"payment.succeeded","created":1760000000,"data":{"object":{"id":"sbpi_1"}}}';
const t = 1760000000;
const now = t * 1000 + 10_000;

describe("webhook signatures", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test name quotes the signed string's format.
  it("matches Stripe's scheme: hex HMAC-SHA256 of `${t}.${body}` keyed with the whole secret", async () => {
    // RFC 4231 test case 2, to pin the primitive itself.
    expect(await hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    const header = await signatureHeader([NEW], body, t);
    expect(header).toBe(`t=${t},v1=${await hmacSha256Hex(NEW, `${t}.${body}`)}`);
  });

  it("accepts a valid signature and refuses a missing or malformed header", async () => {
    expect(await verifySignature({ header: await signatureHeader([NEW], body, t), rawBody: body, secrets: [NEW], now })).toEqual({
      ok: true,
      timestamp: t,
    });
    expect(await verifySignature({ header: undefined, rawBody: body, secrets: [NEW], now })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    expect(await verifySignature({ header: "v1=abc", rawBody: body, secrets: [NEW], now })).toEqual({
      ok: false,
      reason: "malformed_header",
    });
  });

  it("refuses a wrong secret, and a body changed by one byte", async () => {
    const header = await signatureHeader([NEW], body, t);
    expect(
      await verifySignature({ header: await signatureHeader(["whsec_someone_else"], body, t), rawBody: body, secrets: [NEW, OLD], now }),
    ).toEqual({ ok: false, reason: "no_matching_signature" });
    const tampered = body.replace("sbpi_1", "sbpi_2");
    expect(tampered.length).toBe(body.length);
    expect(await verifySignature({ header, rawBody: tampered, secrets: [NEW], now })).toEqual({
      ok: false,
      reason: "no_matching_signature",
    });
  });

  it("refuses a timestamp more than five minutes away, either side", async () => {
    const header = await signatureHeader([NEW], body, t);
    expect((await verifySignature({ header, rawBody: body, secrets: [NEW], now: t * 1000 + 299_000 })).ok).toBe(true);
    expect(await verifySignature({ header, rawBody: body, secrets: [NEW], now: t * 1000 + 301_000 })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    expect(await verifySignature({ header, rawBody: body, secrets: [NEW], now: t * 1000 - 301_000 })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
  });

  it("during a rotation: any of several v1 signatures, under any of several secrets", async () => {
    const both = await signatureHeader([OLD, NEW], body, t);
    expect(parseSignatureHeader(both)?.v1).toHaveLength(2);
    expect((await verifySignature({ header: both, rawBody: body, secrets: [NEW], now })).ok).toBe(true);
    expect((await verifySignature({ header: both, rawBody: body, secrets: [OLD], now })).ok).toBe(true);
    // The provider still signs with the old secret only; we already hold old and new.
    expect((await verifySignature({ header: await signatureHeader([OLD], body, t), rawBody: body, secrets: [NEW, OLD], now })).ok).toBe(
      true,
    );
    expect(await verifySignature({ header: both, rawBody: body, secrets: [], now })).toEqual({ ok: false, reason: "no_secret" });
  });

  it("compares in constant time over the whole string", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});
