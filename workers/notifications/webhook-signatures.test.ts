/** Provider webhook signatures against the providers' published examples, and forged or replayed ones. */
import { describe, expect, it } from "vitest";
import { toBase64, utf8 } from "./crypto/bytes.ts";
import { derToRaw, svixSignature, twilioSignature, verifySendgrid, verifySvix, verifyTwilio } from "./webhook-signatures.ts";

describe("Svix (Resend)", () => {
  // The Standard Webhooks / Svix reference vector.
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const headers = {
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: "1614265330",
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };
  const body = '{"test": 2432232314}';
  const at = 1614265330 * 1000;

  it("matches the published signature, also among several", async () => {
    expect(await svixSignature(secret, headers.id, headers.timestamp, body)).toBe("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(await verifySvix(secret, headers, body, at)).toBe(true);
    expect(await verifySvix(secret, { ...headers, signature: `v1,bm9wZQ== ${headers.signature}` }, body, at + 60_000)).toBe(true);
  });

  it("rejects a changed body, another secret, another id, a replay after five minutes and missing headers", async () => {
    expect(await verifySvix(secret, headers, '{"test": 2432232315}', at)).toBe(false);
    expect(await verifySvix("whsec_" + toBase64(utf8("another-secret-of-some-length")), headers, body, at)).toBe(false);
    expect(await verifySvix(secret, { ...headers, id: "msg_other" }, body, at)).toBe(false);
    expect(await verifySvix(secret, headers, body, at + 301_000)).toBe(false);
    expect(await verifySvix(secret, { ...headers, signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" }, body, at)).toBe(false);
    expect(await verifySvix(secret, { ...headers, signature: undefined }, body, at)).toBe(false);
  });
});

describe("Twilio", () => {
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = (caller: string) =>
    new URLSearchParams({ CallSid: "CA1234567890ABCDE", Caller: caller, Digits: "1234", From: caller, To: "+18005551212" });

  it("matches the worked examples of Twilio's documentation", async () => {
    expect(await twilioSignature("12345", url, params("+12349013030"))).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    expect(await twilioSignature("12345", url, params("+14158675310"))).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
    expect(await verifyTwilio("12345", url, params("+14158675310"), "GvWf1cFY/Q7PnoempGyD5oXAezc=")).toBe(true);
  });

  it("rejects another token, URL or parameter", async () => {
    const good = "GvWf1cFY/Q7PnoempGyD5oXAezc=";
    expect(await verifyTwilio("54321", url, params("+14158675310"), good)).toBe(false);
    expect(await verifyTwilio("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", params("+14158675310"), good)).toBe(false);
    const changed = params("+14158675310");
    changed.set("Digits", "9999");
    expect(await verifyTwilio("12345", url, changed, good)).toBe(false);
    expect(await verifyTwilio("12345", url, params("+14158675310"), undefined)).toBe(false);
  });
});

/** DER for an r‖s signature, written here from X.690 independently of the parser under test. */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

describe("SendGrid Event Webhook", () => {
  it("verifies ECDSA P-256 signatures over timestamp + body, and nothing else", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const publicKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer));
    const body = JSON.stringify([{ email: "a@example.com", event: "bounce", sg_event_id: "ev1" }]);
    const timestamp = "1700000000";
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, utf8(timestamp + body)));
    const signature = toBase64(rawToDer(raw));
    expect(derToRaw(rawToDer(raw))).toEqual(raw);
    expect(await verifySendgrid(publicKey, signature, timestamp, body)).toBe(true);
    expect(await verifySendgrid(publicKey, signature, "1700000001", body)).toBe(false);
    expect(await verifySendgrid(publicKey, signature, timestamp, body.replace("bounce", "delivered"))).toBe(false);
    expect(await verifySendgrid(publicKey, toBase64(raw), timestamp, body)).toBe(false);
    expect(await verifySendgrid(publicKey, undefined, timestamp, body)).toBe(false);
    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const otherKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("spki", other.publicKey)) as ArrayBuffer));
    expect(await verifySendgrid(otherKey, signature, timestamp, body)).toBe(false);
  });
});
