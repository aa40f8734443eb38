/**
 * Entity tags. Public representations get a strong ETag from their content
 * (a SHA-256 prefix of the exact body), so a 304 is only ever given for
 * byte-identical content. A product's ETag also names its version,
 * `"v7-3fa9c2d1e0b4a8f1"`: If-Match on a write checks that version, so a
 * discount starting between read and write (which changes the body, not the
 * product) is not mistaken for a concurrent edit.
 */
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { CatalogErrors } from "./errors.ts";

export async function contentHash(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const versionedEtag = (version: number, hash?: string) => (hash ? `"v${version}-${hash}"` : `"v${version}"`);

/** If-None-Match with weak comparison (RFC 9110 13.1.2): `W/` prefixes are ignored, `*` matches anything. */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  const target = strip(etag);
  return header.split(",").some((t) => strip(t) === target);
}

/** The versions named by an If-Match header (`"v7"` or `"v7-<hash>"`, strong tags only). */
export function versionsInIfMatch(header: string | null | undefined): number[] {
  if (!header) return [];
  const versions: number[] = [];
  for (const raw of header.split(",")) {
    const m = /^"v(\d{1,9})(?:-[0-9a-f]+)?"$/.exec(raw.trim());
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

/**
 * The version a write expects. A write without a usable If-Match is refused
 * (428): optimistic concurrency only works if every writer takes part.
 */
export function expectedVersion(header: string | null | undefined): number[] {
  const versions = versionsInIfMatch(header);
  if (versions.length === 0) {
    throw new ApiError(ErrorCode.PRECONDITION_REQUIRED, 'Send If-Match with the ETag from your last read (e.g. If-Match: "v3")');
  }
  return versions;
}

export function versionConflict(what: string, currentVersion: number): ApiError {
  return new ApiError(
    CatalogErrors.VERSION_CONFLICT,
    `The ${what} changed since you read it (now at version ${currentVersion}); read it again and reapply your change`,
    { currentVersion },
  );
}
