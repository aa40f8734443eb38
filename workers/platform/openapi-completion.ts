/**
 * What the gateway contributes to every operation of the OpenAPI document,
 * added in one place instead of by hand in every route: the statuses the
 * shared middleware can answer (malformed JSON, body too large, wrong media
 * type, invalid input, an invalid bearer token on any route, an unexpected
 * fault), a security declaration (public operations accept an optional
 * bearer token, which is checked when sent), an operationId derived from the
 * method and path where the route names none, the tag list, the integer
 * range every JSON number of this API lives in, and nullable references said
 * in a form that admits null.
 */

type Json = Record<string, unknown>;
type Operation = {
  operationId?: string;
  security?: Json[];
  tags?: string[];
  parameters?: unknown[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
};
export type OpenApiDocument = {
  info?: Json;
  servers?: Json[];
  tags?: { name: string }[];
  paths?: Record<string, Record<string, Operation>>;
  components?: Json;
};

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** Statuses the gateway itself answers, with the operations each applies to. */
const GATEWAY_RESPONSES: { status: string; applies: (op: Operation) => boolean; response: Json }[] = [
  { status: "400", applies: (op) => hasJsonBody(op), response: problem("The body is not well-formed JSON (code BAD_REQUEST)") },
  {
    status: "401",
    applies: () => true,
    response: problem(
      "Missing or invalid credentials (code UNAUTHORIZED). A bearer token that is sent is always checked, on public operations too: an expired one is refused",
    ),
  },
  {
    status: "413",
    applies: (op) => !!op.requestBody,
    response: problem("The request body exceeds the size limit (code PAYLOAD_TOO_LARGE)"),
  },
  {
    status: "415",
    applies: (op) => !!op.requestBody,
    response: problem("The body's media type is not one this operation accepts (code UNSUPPORTED_MEDIA_TYPE)"),
  },
  {
    status: "422",
    applies: (op) => !!op.requestBody || (op.parameters?.length ?? 0) > 0,
    response: problem(
      "A parameter or field is not valid, or holds text that cannot be stored (NUL, unpaired surrogates); each field is named (code VALIDATION_FAILED)",
    ),
  },
  {
    status: "500",
    applies: () => true,
    response: problem("An unexpected fault (code INTERNAL): quote the request id when reporting it"),
  },
];

function hasJsonBody(op: Operation): boolean {
  return Object.keys(op.requestBody?.content ?? {}).some((type) => JSON_MEDIA.test(type));
}

const capitalise = (word: string) => (word ? word[0]!.toUpperCase() + word.slice(1) : word);

/** `GET /api/products/{id}` → `getProductsById`; `POST /api/auth/login/mfa` → `postAuthLoginMfa`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, "")
    .split("/")
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      const parts = (param ? param[1]! : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
      return param ? ["By", ...parts.map(capitalise)] : parts.map(capitalise);
    });
  return method.toLowerCase() + words.join("");
}

/** Integers in this API are JSON numbers handled as JavaScript numbers: the safe-integer range bounds them all. */
function boundIntegers(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) boundIntegers(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  const type = schema.type;
  if (type === "integer" || (Array.isArray(type) && type.includes("integer"))) {
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = Number.MIN_SAFE_INTEGER;
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = Number.MAX_SAFE_INTEGER;
    if (schema.format === undefined) {
      const low = Number(schema.minimum ?? schema.exclusiveMinimum);
      const high = Number(schema.maximum ?? schema.exclusiveMaximum);
      schema.format = low >= -(2 ** 31) && high < 2 ** 31 ? "int32" : "int64";
    }
  }
  for (const value of Object.values(schema)) boundIntegers(value);
}

/**
 * A nullable reference to a named schema comes out of the generator as
 * `allOf: [{$ref}, {type: [..., "null"]}]`, which no null satisfies (the
 * reference refuses it). It is said as `anyOf: [{$ref}, {type: "null"}]`.
 */
function fixNullableRefs(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) fixNullableRefs(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  const parts = schema.allOf;
  if (Array.isArray(parts) && parts.length === 2) {
    const [ref, nullable] = parts as Json[];
    const types = nullable?.type;
    if (typeof ref?.$ref === "string" && Array.isArray(types) && types.includes("null") && Object.keys(nullable!).length === 1) {
      delete schema.allOf;
      schema.anyOf = [ref, { type: "null" }];
    }
  }
  for (const value of Object.values(schema)) fixNullableRefs(value);
}

export interface CompletionOptions {
  /** The production server's https origin. */
  productionUrl: string;
  /** The origin this document was requested from, listed too when it is another https origin. */
  requestOrigin: string;
}

export function completeDocument<D extends OpenApiDocument>(doc: D, options: CompletionOptions): D {
  const tags = new Set<string>();
  const ids = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) {
      if (!METHODS.has(method)) continue;
      for (const tag of op.tags ?? []) tags.add(tag);
      op.security ??= [{}, { bearer: [] }];
      op.responses ??= {};
      for (const { status, applies, response } of GATEWAY_RESPONSES) {
        if (!op.responses[status] && applies(op)) op.responses[status] = response;
      }
      let id = op.operationId ?? operationIdOf(method, path);
      while (ids.has(id)) id = `${id}Again`;
      op.operationId = id;
      ids.add(id);
    }
  }
  doc.tags ??= [...tags].sort().map((name) => ({ name }));
  for (const part of [doc.paths, doc.components]) {
    boundIntegers(part);
    fixNullableRefs(part);
  }
  const servers: Json[] = [{ url: options.productionUrl, description: "Production", "x-internal": false }];
  if (options.requestOrigin.startsWith("https://") && options.requestOrigin !== options.productionUrl) {
    servers.push({ url: options.requestOrigin, description: "This deployment", "x-internal": false });
  }
  doc.servers = servers;
  return doc;
}
