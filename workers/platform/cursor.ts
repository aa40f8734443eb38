/** Opaque keyset cursors: the sort they belong to and the last row's sort key, base64url JSON. */
import { ApiError, ErrorCode } from "./errors.ts";

export interface Cursor {
  sort: string;
  key: (string | number)[];
}

export function encodeCursor(cursor: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.sort, ...cursor.key]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

const invalid = (detail: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", { errors: [{ field: "query.cursor", message: detail }] });

/** Decodes a cursor made for `sort` whose key has the given element types. */
export function decodeCursor(raw: string, sort: string, types: readonly ("string" | "number")[]): (string | number)[] {
  let parsed: unknown;
  try {
    const binary = atob(raw.replaceAll("-", "+").replaceAll("_", "/"));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    throw invalid("Not a cursor from this API");
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort) throw invalid(`The cursor belongs to another sort order than ${sort}`);
  const key = parsed.slice(1);
  if (key.length !== types.length || key.some((v, i) => typeof v !== types[i])) throw invalid("Not a cursor from this API");
  return key as (string | number)[];
}
