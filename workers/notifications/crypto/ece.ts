/**
 * Web Push message encryption (RFC 8291) with the aes128gcm content coding
 * (RFC 8188), on WebCrypto: an ephemeral P-256 key pair per message, ECDH
 * with the browser's key, HKDF keyed by the browser's auth secret, one
 * AES-128-GCM record. The result is the whole request body: the header
 * (salt, record size, the server's public key) followed by the ciphertext.
 */
import { concat, fromBase64Url, toBase64Url, utf8 } from "./bytes.ts";

const RECORD_SIZE = 4096;
/** One record holds the plaintext, its one-byte delimiter and the 16-byte tag. */
export const MAX_PLAINTEXT = RECORD_SIZE - 16 - 1 - 86;

/** WebCrypto names the peer key `public`; the Workers type definitions spell it differently. */
export const ecdhWith = (peer: CryptoKey) => ({ name: "ECDH", public: peer }) as unknown as SubtleCryptoDeriveKeyAlgorithm;

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, length * 8));
}

export interface EncryptOptions {
  /** For test vectors only: a fixed salt and server key pair instead of fresh random ones. */
  salt?: Uint8Array;
  serverKeys?: { privateKey: CryptoKey; publicKey: Uint8Array };
}

/** Imports an uncompressed P-256 point and scalar (base64url) as an ECDH private key. */
export function importEcdhPrivateKey(publicKey: Uint8Array, d: Uint8Array): Promise<CryptoKey> {
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    x: toBase64Url(publicKey.subarray(1, 33)),
    y: toBase64Url(publicKey.subarray(33, 65)),
    d: toBase64Url(d),
    ext: true,
  };
  return crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
}

export async function encryptPushPayload(
  plaintext: Uint8Array | string,
  subscription: { p256dh: string; auth: string },
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  const data = typeof plaintext === "string" ? utf8(plaintext) : plaintext;
  if (data.length > MAX_PLAINTEXT) throw new RangeError(`push payload of ${data.length} bytes exceeds ${MAX_PLAINTEXT}`);
  const uaPublic = fromBase64Url(subscription.p256dh);
  const authSecret = fromBase64Url(subscription.auth);
  if (uaPublic.length !== 65 || uaPublic[0] !== 4) throw new RangeError("p256dh must be an uncompressed P-256 point");
  if (authSecret.length !== 16) throw new RangeError("auth must be 16 bytes");

  let server = options.serverKeys;
  if (!server) {
    const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
    server = {
      privateKey: pair.privateKey,
      publicKey: new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer),
    };
  }
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const uaKey = await crypto.subtle.importKey("raw", uaPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdhWith(uaKey), server.privateKey, 256));

  // RFC 8291 §3.4: key_info = "WebPush: info" || 0x00 || ua_public || as_public
  const ikm = await hkdf(authSecret, ecdhSecret, concat(utf8("WebPush: info\0"), uaPublic, server.publicKey), 32);
  const cek = await hkdf(salt, ikm, utf8("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, utf8("Content-Encoding: nonce\0"), 12);

  // A single (and so last) record: the plaintext followed by the delimiter 0x02, no padding.
  const record = concat(data, new Uint8Array([2]));
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, key, record));

  const header = new Uint8Array(21);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = server.publicKey.length;
  return concat(header, server.publicKey, ciphertext);
}
