/**
 * Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under
 * MFA_ENCRYPTION_KEY, bound to the owning user id as additional data so a
 * ciphertext copied to another account does not decrypt.
 * Format: `v1.<iv base64url>.<ciphertext base64url>`.
 */
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { identityConfig } from "./config.ts";
import { base64url, fromBase64 } from "./crypto.ts";
import { IdentityErrors } from "./errors.ts";

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(rt: Pick<Runtime, "vars">): Promise<CryptoKey> {
  const raw = identityConfig.read(rt).MFA_ENCRYPTION_KEY;
  if (!raw) throw new ApiError(IdentityErrors.MFA_UNAVAILABLE, "Two-factor authentication is not configured on this server");
  let key = keys.get(raw);
  if (!key) {
    const bytes = fromBase64(raw);
    if (bytes?.length !== 32) throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "MFA_ENCRYPTION_KEY is not 32 bytes");
    key = crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(raw, key);
  }
  return key;
}

export async function seal(rt: Pick<Runtime, "vars">, plaintext: Uint8Array, owner: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(owner) },
    await keyFor(rt),
    plaintext,
  );
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

export async function open(rt: Pick<Runtime, "vars">, sealed: string, owner: string): Promise<Uint8Array> {
  const [version, iv, data] = sealed.split(".");
  const ivBytes = iv ? fromBase64(iv) : undefined;
  const dataBytes = data ? fromBase64(data) : undefined;
  if (version !== "v1" || !ivBytes || !dataBytes) throw new Error("sealed secret in an unknown format");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: ivBytes, additionalData: new TextEncoder().encode(owner) },
    await keyFor(rt),
    dataBytes,
  );
  return new Uint8Array(plain);
}
