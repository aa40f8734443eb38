/**
 * The receiving side of Web Push encryption (what a browser does, RFC 8291
 * §3.4 and RFC 8188 §2), written from the RFCs independently of the sender
 * in ece.ts, so tests can read what was sent.
 */
import { utf8 } from "./bytes.ts";
import { ecdhWith, importEcdhPrivateKey } from "./ece.ts";

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: string, length: number) {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: utf8(info) }, key, length * 8));
}

/** Decrypts a push message body with the browser's key pair and auth secret. */
export async function browserDecrypt(body: Uint8Array, uaPublic: Uint8Array, uaPrivate: Uint8Array, auth: Uint8Array): Promise<string> {
  const salt = body.subarray(0, 16);
  const rs = new DataView(body.buffer, body.byteOffset).getUint32(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (ciphertext.length > rs) throw new Error("record larger than the record size");
  const asKey = await crypto.subtle.importKey("raw", asPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const ecdh = new Uint8Array(await crypto.subtle.deriveBits(ecdhWith(asKey), await importEcdhPrivateKey(uaPublic, uaPrivate), 256));
  const keyInfo = new Uint8Array([...utf8("WebPush: info\0"), ...uaPublic, ...asPublic]);
  const prkKey = await crypto.subtle.importKey("raw", ecdh, "HKDF", false, ["deriveBits"]);
  const ikm = new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: auth, info: keyInfo }, prkKey, 256));
  const cek = await crypto.subtle.importKey("raw", await hkdf(salt, ikm, "Content-Encoding: aes128gcm\0", 16), "AES-GCM", false, [
    "decrypt",
  ]);
  const padded = new Uint8Array(
    await crypto.subtle.decrypt({ name: "AES-GCM", iv: await hkdf(salt, ikm, "Content-Encoding: nonce\0", 12) }, cek, ciphertext),
  );
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("not a last record (delimiter 0x02 missing)");
  return new TextDecoder().decode(padded.subarray(0, end));
}
