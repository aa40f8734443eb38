/** Web Push encryption against RFC 8291 Appendix A, and read back the way a browser would. */
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./bytes.ts";
import { encryptPushPayload, importEcdhPrivateKey, MAX_PLAINTEXT } from "./ece.ts";
import { browserDecrypt } from "./push-receiver.ts";

// RFC 8291, Appendix A.
const RFC = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  authSecret: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body: "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

describe("RFC 8291 encryption", () => {
  it("reproduces the encrypted body of Appendix A byte for byte", async () => {
    const asPublic = fromBase64Url(RFC.asPublic);
    const privateKey = await importEcdhPrivateKey(asPublic, fromBase64Url(RFC.asPrivate));
    const body = await encryptPushPayload(
      RFC.plaintext,
      { p256dh: RFC.uaPublic, auth: RFC.authSecret },
      { salt: fromBase64Url(RFC.salt), serverKeys: { privateKey, publicKey: asPublic } },
    );
    expect(toBase64Url(body)).toBe(RFC.body);
  });

  it("the Appendix A body decrypts to its plaintext (the receiving side is right too)", async () => {
    const text = await browserDecrypt(
      fromBase64Url(RFC.body),
      fromBase64Url(RFC.uaPublic),
      fromBase64Url(RFC.uaPrivate),
      fromBase64Url(RFC.authSecret),
    );
    expect(text).toBe(RFC.plaintext);
  });

  it("encrypts with a fresh key and salt per message, and a browser reads it", async () => {
    const subscription = { p256dh: RFC.uaPublic, auth: RFC.authSecret };
    const message = JSON.stringify({ title: "Bestellung versandt", body: "Ümlaut ✓" });
    const [a, b] = await Promise.all([encryptPushPayload(message, subscription), encryptPushPayload(message, subscription)]);
    expect(toBase64Url(a.subarray(0, 16))).not.toBe(toBase64Url(b.subarray(0, 16)));
    expect(toBase64Url(a.subarray(21, 86))).not.toBe(toBase64Url(b.subarray(21, 86)));
    expect(a[20]).toBe(65);
    expect(await browserDecrypt(a, fromBase64Url(RFC.uaPublic), fromBase64Url(RFC.uaPrivate), fromBase64Url(RFC.authSecret))).toBe(message);
  });

  it("refuses payloads over one record and malformed subscription keys", async () => {
    const subscription = { p256dh: RFC.uaPublic, auth: RFC.authSecret };
    await expect(encryptPushPayload("x".repeat(MAX_PLAINTEXT + 1), subscription)).rejects.toThrow(RangeError);
    const body = await encryptPushPayload("x".repeat(MAX_PLAINTEXT), subscription);
    expect(body.length).toBe(4096);
    await expect(encryptPushPayload("hi", { p256dh: RFC.authSecret, auth: RFC.authSecret })).rejects.toThrow(/p256dh/);
    await expect(encryptPushPayload("hi", { p256dh: RFC.uaPublic, auth: RFC.uaPublic })).rejects.toThrow(/auth/);
  });
});
