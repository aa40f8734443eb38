/**
 * Opaque keyset cursors, the one page cursor of every list: the sort they
 * belong to and the last row's sort key, base64url JSON. The next page starts
 * strictly after that key. A sort name is `<list>:<order>` (`runs:newest`,
 * `audit-entries:seq-desc`), so a cursor of one list or order is refused by
 * every other, and anything that is not a cursor this API made for the list
 * is a 422 naming `query.cursor`, never a 500.
 */
import type { z } from "@hono/zod-openapi";
import { ApiError, ErrorCode } from "./errors.ts";

/** The longest cursor a list accepts (`cursorParam` allows no more). */
export const MAX_CURSOR_LENGTH = 500;

export interface Cursor {
  sort: string;
  key: (string | number)[];
}

/**
 * What one element of a key must be: any string, any number, or a value a
 * schema accepts (an id's pattern, a non-negative integer, ...).
 */
export type KeyType = "string" | "number" | z.ZodType<string | number>;
type KeyValue<T extends KeyType> = T extends "string" ? string : T extends "number" ? number : z.output<Exclude<T, "string" | "number">>;

export function encodeCursor(cursor: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.sort, ...cursor.key]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

const invalid = (detail: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", { errors: [{ field: "query.cursor", message: detail }] });

function accepts(type: KeyType, value: unknown): boolean {
  // No stored key holds a NUL (Postgres text cannot), and the database would refuse to compare one.
  if (typeof value === "string" && value.includes("\u0000")) return false;
  if (type === "string" || type === "number") return typeof value === type;
  return type.safeParse(value).success;
}

/** Decodes a cursor made for `sort` whose key has the given element types. */
export function decodeCursor<const T extends readonly KeyType[]>(
  raw: string,
  sort: string,
  types: T,
): { -readonly [I in keyof T]: KeyValue<T[I]> } {
  if (raw.length > MAX_CURSOR_LENGTH) throw invalid("Not a cursor from this API");
  let parsed: unknown;
  try {
    const binary = atob(raw.replaceAll("-", "+").replaceAll("_", "/"));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    throw invalid("Not a cursor from this API");
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort) throw invalid(`The cursor belongs to another list or sort order than ${sort}`);
  const key = parsed.slice(1);
  if (key.length !== types.length || key.some((v, i) => !accepts(types[i]!, v))) throw invalid("Not a cursor from this API");
  return key as { -readonly [I in keyof T]: KeyValue<T[I]> };
}

/**
 * Splits the `limit + 1` rows a keyset query fetched into the page and the
 * cursor after its last row (null when there is no further page).
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  sort: string,
  keyOf: (row: R) => (string | number)[],
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ sort, key: keyOf(last) }) : null };
}
