/**
 * Text that no layer below can store is refused at the edge, once for every
 * route: a NUL character (Postgres text cannot hold one and would answer an
 * error, a 500) or a lone UTF-16 surrogate (not Unicode, so not storable as
 * UTF-8) anywhere in the path, the query or a JSON body, keys included.
 * The answer is the same 422 problem a schema failure gets, naming where.
 */
import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv } from "./context.ts";
import { ApiError, ErrorCode, type FieldError } from "./errors.ts";

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;
const MESSAGE = "must not contain NUL characters or unpaired surrogates";

/** Whether a string can be stored as text: no NUL, well-formed UTF-16. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The dotted paths of every unstorable string (or key) in a parsed JSON value. */
export function unstorableFields(value: unknown, path = ""): string[] {
  if (typeof value === "string") return isStorableText(value) ? [] : [path || "body"];
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableFields(item, path ? `${path}.${i}` : String(i)));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => {
      const here = path ? `${path}.${key}` : key;
      return isStorableText(key) ? unstorableFields(item, here) : [here];
    });
  }
  return [];
}

/** A percent-decoded URL part; a malformed escape is kept as written (Hono does the same). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function urlFields(url: URL): string[] {
  const fields: string[] = [];
  if (!isStorableText(decoded(url.pathname))) fields.push("path");
  for (const pair of url.search.slice(1).split("&")) {
    if (!pair) continue;
    const [rawKey = "", rawValue = ""] = pair.split("=", 2);
    const key = decoded(rawKey);
    if (!isStorableText(key) || !isStorableText(decoded(rawValue))) fields.push(`query.${isStorableText(key) ? key : "?"}`);
  }
  return fields;
}

/** A JSON body that does not parse is left to the route's validator (400 malformed JSON). */
async function bodyFields(c: AppContext): Promise<string[]> {
  if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) return [];
  const text = await c.req.text(); // cached by Hono: the route's validator reads the same text
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  return unstorableFields(parsed);
}

export const refuseUnstorableText = createMiddleware<AppEnv>(async (c, next) => {
  const fields = [...urlFields(new URL(c.req.url)), ...(await bodyFields(c))];
  if (fields.length > 0) {
    const errors: FieldError[] = fields.map((field) => ({ field, message: MESSAGE }));
    throw new ApiError(ErrorCode.VALIDATION_FAILED, `The request contains text that cannot be stored (${fields.join(", ")})`, {
      errors,
    });
  }
  await next();
});
