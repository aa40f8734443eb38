/**
 * The served OpenAPI document as the judge of every response a test sees:
 * `api()` hands each request and its response here, and a status the
 * operation does not declare, a media type it does not declare for that
 * status, or a JSON body that does not match the declared schema fails the
 * test. Object schemas are read as closed (no property they do not list;
 * an extended schema as a whole), so a response cannot carry a field the
 * document does not describe.
 */

import { env, exports } from "cloudflare:workers";
import { type Schema, Validator } from "@cfworker/json-schema";

type Json = Record<string, unknown>;
type MediaTypes = Record<string, { schema?: Schema }>;
type ResponseSpec = { content?: MediaTypes };
export type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { required?: boolean; content?: MediaTypes };
  responses: Record<string, ResponseSpec>;
  security?: Json[];
};
export type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: Json };

export interface OperationRef {
  method: string;
  path: string;
  operation: Operation;
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;
const METHODS = ["get", "put", "post", "delete", "patch"];

let served: Promise<OpenApi> | undefined;

/** The document the Worker serves, read once per test file. */
export function servedDocument(): Promise<OpenApi> {
  served ??= exports.default.fetch(new Request("https://api.test/api/openapi.json")).then(async (res) => {
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return (await res.json()) as OpenApi;
  });
  return served;
}

export function operationsOf(doc: OpenApi): OperationRef[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    METHODS.filter((m) => ops[m]).map((method) => ({ method, path, operation: ops[method]! })),
  );
}

const templates = new WeakMap<OpenApi, { ref: OperationRef; pattern: RegExp; statics: number }[]>();

/** The operation a request reaches: the template that matches, fixed segments winning over parameters (as the router does). */
export function operationFor(doc: OpenApi, method: string, pathname: string): OperationRef | undefined {
  let list = templates.get(doc);
  if (!list) {
    list = operationsOf(doc).map((ref) => ({
      ref,
      pattern: new RegExp(`^${ref.path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      statics: ref.path.split("/").filter((s) => s && !s.startsWith("{")).length,
    }));
    templates.set(doc, list);
  }
  const lower = method.toLowerCase();
  return list
    .filter((t) => t.ref.method === lower && t.pattern.test(pathname))
    .sort((a, b) => b.statics - a.statics)
    .at(0)?.ref;
}

/** The schema a local reference points at. */
function deref(doc: OpenApi, node: Json): Json {
  if (typeof node.$ref !== "string") return node;
  const target = node.$ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], doc);
  return deref(doc, (target ?? {}) as Json);
}

/**
 * An allOf whose members are all object schemas (an extended schema, a named one plus more fields) as one
 * object schema, so it can be closed as a whole; any other allOf is kept as it is.
 */
function merged(doc: OpenApi, parts: Json[]): Json | null {
  const members = parts.map((part) => deref(doc, part));
  if (members.some((m) => !m.properties || m.allOf || m.anyOf || m.oneOf)) return null;
  const out: Json = { type: "object", properties: {}, required: [] };
  for (const m of members) {
    Object.assign(out.properties as Json, m.properties);
    (out.required as string[]).push(...((m.required as string[] | undefined) ?? []));
    if (m.description && !out.description) out.description = m.description;
  }
  return out;
}

/** A copy of a schema whose objects admit only the properties they list. */
function closed(doc: OpenApi, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => closed(doc, item));
  if (!node || typeof node !== "object") return node;
  let source = node as Json;
  if (Array.isArray(source.allOf)) {
    const flat = merged(doc, source.allOf as Json[]);
    if (flat) {
      const { allOf: _parts, ...rest } = source;
      source = { ...rest, ...flat };
    }
  }
  const copy: Json = {};
  for (const [key, value] of Object.entries(source)) copy[key] = key === "allOf" ? value : closed(doc, value);
  const isObject = copy.type === "object" || (Array.isArray(copy.type) && copy.type.includes("object"));
  if (isObject && copy.properties && copy.additionalProperties === undefined && !copy.patternProperties) {
    copy.additionalProperties = false;
  }
  return copy;
}

const validators = new WeakMap<OpenApi, Map<string, Validator>>();
const closedComponents = new WeakMap<OpenApi, unknown>();

function validatorFor(doc: OpenApi, key: string, schema: Schema): Validator {
  let cache = validators.get(doc);
  if (!cache) {
    cache = new Map();
    validators.set(doc, cache);
  }
  let validator = cache.get(key);
  if (!validator) {
    // The components sit in the root, so the document's "#/components/..." references resolve as written.
    let components = closedComponents.get(doc);
    if (!components) {
      components = closed(doc, doc.components ?? {});
      closedComponents.set(doc, components);
    }
    const root = { allOf: [closed(doc, schema)], components } as Schema;
    validator = new Validator(root, "2020-12", false);
    cache.set(key, validator);
  }
  return validator;
}

/** What in a response disagrees with the document; empty when it conforms or when the document does not describe the path. */
export async function contractProblems(doc: OpenApi, request: Request, response: Response): Promise<string[]> {
  const url = new URL(request.url);
  const found = operationFor(doc, request.method, url.pathname);
  if (!found || response.status === 101) return [];
  const where = `${request.method} ${found.path} → ${response.status}`;
  const spec = found.operation.responses[String(response.status)] ?? found.operation.responses.default;
  if (!spec) return [`${where}: status not documented (documented: ${Object.keys(found.operation.responses).join(", ")})`];
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!mediaType || !spec.content) return [];
  const declared = Object.keys(spec.content).find((type) => {
    const range = type.toLowerCase();
    return range === mediaType || range === "*/*" || (range.endsWith("/*") && mediaType.startsWith(range.slice(0, -1)));
  });
  if (!declared) return [`${where}: media type ${mediaType} not documented (documented: ${Object.keys(spec.content).join(", ")})`];
  const schema = spec.content[declared]?.schema;
  if (!schema || !JSON_MEDIA.test(mediaType)) return [];
  const text = await response.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${where}: body is not JSON`];
  }
  const result = validatorFor(doc, `${found.method} ${found.path} ${response.status} ${declared}`, schema).validate(body);
  if (result.valid) return [];
  const detail = result.errors
    .filter((e) => e.keyword !== "allOf" && e.keyword !== "$ref" && e.keyword !== "properties" && e.keyword !== "items")
    .slice(0, 5)
    .map((e) => `${e.instanceLocation}: ${e.error}`)
    .join("; ");
  return [`${where}: body does not match the schema (${detail || result.errors[0]?.error})`];
}

/** Whether a mismatch fails the test ("enforce", the default) or is only printed as CONTRACT-MISMATCH ("record"); vitest.config.ts sets it. */
const mode = (env as { CONTRACT_RESPONSES?: string }).CONTRACT_RESPONSES === "record" ? "record" : "enforce";

/** Checks one exchange against the served document (api() calls this for every response). */
export async function assertConforms(request: Request, response: Response): Promise<void> {
  const problems = await contractProblems(await servedDocument(), request, response);
  if (problems.length === 0) return;
  const message = `response disagrees with the OpenAPI document: ${problems.join(" | ")}`;
  if (mode === "record") console.error(`CONTRACT-MISMATCH ${message}`);
  else throw new Error(message);
}
