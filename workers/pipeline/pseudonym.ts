/**
 * Pseudonymous ids: HMAC-SHA256 of a value under PII_HASH_KEY, truncated to
 * 128 bits and written in base64url (`psn_` + 22 characters). The same user
 * id always gives the same pseudonym, so analytics can count and follow
 * customers; without the key it cannot be reversed or recomputed from a
 * guessed id. Base64url rather than hex, so a pseudonym never looks like a
 * run of digits (a phone number) to the PII checks.
 */
import { platformConfig } from "../platform/config.ts";
import type { Runtime } from "../platform/runtime.ts";
import { pipelineConfig } from "./config.ts";

/** Development and test only: pseudonyms of local data need no secret. Production refuses to run without PII_HASH_KEY. */
const DEVELOPMENT_KEY = "edge-commerce-development-pii-hash-key";

export class MissingPiiKey extends Error {
  override name = "MissingPiiKey";
}

export function piiKeyOf(rt: Pick<Runtime, "vars">): string {
  const key = pipelineConfig.read(rt).PII_HASH_KEY;
  if (key) return key;
  if (platformConfig.read(rt).APP_ENV !== "production") return DEVELOPMENT_KEY;
  throw new MissingPiiKey("PII_HASH_KEY is not set: the pipeline cannot pseudonymise events");
}

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export type Pseudonymizer = (value: string) => Promise<string>;

/** A pseudonymizer for one key; it remembers the values of one event, which often repeat (userId and actor). */
export function pseudonymizer(secret: string): Pseudonymizer {
  const seen = new Map<string, Promise<string>>();
  return (value) => {
    let out = seen.get(value);
    if (!out) {
      out = importKey(secret)
        .then((key) => crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value)))
        .then((mac) => `psn_${base64url(new Uint8Array(mac).slice(0, 16))}`);
      seen.set(value, out);
    }
    return out;
  };
}

export const PSEUDONYM_PATTERN = /^psn_[A-Za-z0-9_-]{22}$/;
