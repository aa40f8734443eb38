import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "./webhook-signature.ts";

const NEW = "carrier-secret-new-0123456789";
const OLD = "carrier-secret-old-0123456789";
const body = JSON.stringify({
  id: "cev_1",
  type: "tracking.updated",
  data: { trackingNumber: "SBX000000000001", code: "delivered", occurredAt: "2026-01-01T10:00:00Z" },
});
const now = Date.UTC(2026, 0, 1, 10, 0, 0);
const t = Math.floor(now / 1000);

describe("carrier webhook signatures", () => {
  it("accepts a signature made with the secret", async () => {
    expect(await verifyWebhook([NEW], await signWebhook([NEW], body, t), body, now)).toEqual({ ok: true, timestamp: t });
  });

  it("refuses a missing or malformed header", async () => {
    expect(await verifyWebhook([NEW], undefined, body, now)).toEqual({ ok: false, reason: "missing" });
    expect(await verifyWebhook([NEW], "", body, now)).toEqual({ ok: false, reason: "missing" });
    expect(await verifyWebhook([NEW], "v1=abc", body, now)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyWebhook([NEW], `t=${t}`, body, now)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a signature made with another secret", async () => {
    expect(await verifyWebhook([NEW], await signWebhook(["someone-elses-secret-000000"], body, t), body, now)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("refuses a body with one byte changed", async () => {
    const header = await signWebhook([NEW], body, t);
    const tampered = body.replace("delivered", "delivereD");
    expect(tampered).not.toBe(body);
    expect(await verifyWebhook([NEW], header, tampered, now)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses a timestamp that was changed after signing", async () => {
    const header = (await signWebhook([NEW], body, t)).replace(`t=${t}`, `t=${t + 1}`);
    expect(await verifyWebhook([NEW], header, body, now)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses a timestamp more than five minutes off, in either direction", async () => {
    expect(await verifyWebhook([NEW], await signWebhook([NEW], body, t - 301), body, now)).toEqual({ ok: false, reason: "stale" });
    expect(await verifyWebhook([NEW], await signWebhook([NEW], body, t + 301), body, now)).toEqual({ ok: false, reason: "stale" });
    expect((await verifyWebhook([NEW], await signWebhook([NEW], body, t - 299), body, now)).ok).toBe(true);
  });

  it("accepts either secret during a rotation, and a header carrying both signatures", async () => {
    const secrets = [NEW, OLD];
    expect((await verifyWebhook(secrets, await signWebhook([OLD], body, t), body, now)).ok).toBe(true);
    expect((await verifyWebhook(secrets, await signWebhook([NEW], body, t), body, now)).ok).toBe(true);
    // The carrier, mid-rotation on its side, signs with a secret we dropped and one we have.
    expect((await verifyWebhook([NEW], await signWebhook([OLD, NEW], body, t), body, now)).ok).toBe(true);
    // Once the old secret is dropped here, a request signed only with it fails.
    expect(await verifyWebhook([NEW], await signWebhook([OLD], body, t), body, now)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses everything when no secret is configured", async () => {
    expect(await verifyWebhook([], await signWebhook([NEW], body, t), body, now)).toEqual({ ok: false, reason: "no_secret" });
  });
});
