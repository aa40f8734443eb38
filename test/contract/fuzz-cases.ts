/**
 * Invalid requests for one operation of the OpenAPI document, derived from its
 * schemas: a NUL byte in every path and query parameter and in every body
 * field, values that break a parameter's type, pattern, enum or bounds,
 * malformed JSON, a missing or wrongly typed body, an unknown body field
 * beside otherwise valid fields, an empty PATCH, a number beyond the safe
 * integer range, and a media type the operation does not accept. Every one
 * of them must be refused with a 4xx; none may cause a 5xx.
 */
import type { OpenApi, Operation, OperationRef } from "../helpers/contract.ts";

type Json = Record<string, unknown>;

export interface FuzzCase {
  name: string;
  method: string;
  /** Path and query, ready to send. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

const NUL = "a\u0000b";

function resolve(doc: OpenApi, schema: unknown): Json {
  let current = (schema ?? {}) as Json;
  for (let i = 0; i < 10 && typeof current.$ref === "string"; i++) {
    const path = current.$ref.replace(/^#\//, "").split("/");
    current = path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc) as Json;
  }
  return current ?? {};
}

function types(schema: Json): string[] {
  return Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === "string" ? [schema.type] : [];
}

/** A value the schema accepts, as far as it can be told from the schema: enough to reach the operation's own checks. */
export function sample(doc: OpenApi, raw: unknown, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = schema[key] as unknown[] | undefined;
    if (options?.length) {
      const first = options.map((o) => resolve(doc, o)).find((o) => !types(o).every((t) => t === "null")) ?? options[0];
      return sample(doc, first, depth + 1);
    }
  }
  const type = types(schema).find((t) => t !== "null") ?? "string";
  if (type === "object") {
    if (depth > 6) return {};
    const props = (schema.properties ?? {}) as Json;
    const required = (schema.required ?? []) as string[];
    return Object.fromEntries(required.filter((k) => k in props).map((k) => [k, sample(doc, props[k], depth + 1)]));
  }
  if (type === "array") return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample(doc, schema.items, depth + 1));
  if (type === "integer" || type === "number") {
    const min = Number(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 1));
    return Math.max(min, Math.min(1, Number(schema.maximum ?? 1)));
  }
  if (type === "boolean") return false;
  return sampleString(schema);
}

function sampleString(schema: Json): string {
  const pattern = typeof schema.pattern === "string" ? schema.pattern : "";
  const id = /^\^\(?([a-z]{2,5})_\[0-9A-HJKMNP-TV-Z\]\{26\}/.exec(pattern);
  if (id) return `${id[1]}_${"0".repeat(26)}`;
  switch (schema.format) {
    case "email":
      return "fuzz@example.com";
    case "uri":
    case "url":
      return "https://example.com/fuzz";
    case "date-time":
      return "2026-01-01T00:00:00.000Z";
    case "date":
      return "2026-01-01";
    case "uuid":
      return "00000000-0000-4000-8000-000000000000";
  }
  return "fuzz".padEnd(Number(schema.minLength ?? 1), "z");
}

/** A value of another JSON type than the schema admits, or undefined when it admits any. */
function wrongType(schema: Json): unknown {
  const admitted = types(schema);
  if (admitted.length === 0) return undefined;
  if (!admitted.includes("object")) return { unexpected: true };
  if (!admitted.includes("string")) return "not-the-right-type";
  return undefined;
}

/** A query or path value that breaks the parameter's schema, or undefined when no value can. */
function invalidParamValue(schema: Json): string | undefined {
  const type = types(schema).find((t) => t !== "null");
  if (type === "integer" || type === "number") return "not-a-number";
  if (type === "boolean") return "maybe";
  if (Array.isArray(schema.enum)) return "not-one-of-the-options";
  if (typeof schema.pattern === "string") {
    const pattern = new RegExp(schema.pattern, "u");
    const breaking = ["!!not valid!!", "\u0001", "", "x".repeat(Number(schema.maxLength ?? 300) + 1)].find((v) => !pattern.test(v));
    if (breaking !== undefined) return breaking;
  }
  if (schema.format === "email" || schema.format === "uuid" || schema.format === "date-time") return "!!not valid!!";
  if (schema.maxLength !== undefined) return "x".repeat(Number(schema.maxLength) + 1);
  return undefined;
}

const enc = encodeURIComponent;

export function fuzzCases(doc: OpenApi, { method, path, operation }: OperationRef): FuzzCase[] {
  const params = operation.parameters ?? [];
  const pathValues = Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, String(sample(doc, p.schema ?? {}))]));
  const build = (override: Record<string, string> = {}, query = "") =>
    path.replace(/\{([^}]+)\}/g, (_, name: string) => override[name] ?? enc(pathValues[name] ?? "x")) + (query ? `?${query}` : "");
  const requiredQuery = params
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${enc(p.name)}=${enc(String(sample(doc, p.schema ?? {})))}`);
  const withQuery = (name: string, value: string) =>
    [...requiredQuery.filter((q) => !q.startsWith(`${enc(name)}=`)), `${enc(name)}=${enc(value)}`].join("&");
  const base = requiredQuery.join("&");
  const cases: FuzzCase[] = [];
  const add = (name: string, url: string, extra: Partial<FuzzCase> = {}) => cases.push({ name, method, url, ...extra });

  for (const p of params) {
    const schema = resolve(doc, p.schema ?? {});
    if (p.in === "path") {
      add(`NUL in path parameter ${p.name}`, build({ [p.name]: enc(NUL) }, base));
      const bad = invalidParamValue(schema);
      if (bad !== undefined) add(`invalid path parameter ${p.name}`, build({ [p.name]: enc(bad) }, base));
    } else if (p.in === "query") {
      add(`NUL in query parameter ${p.name}`, build({}, withQuery(p.name, NUL)));
      const bad = invalidParamValue(schema);
      if (bad !== undefined) add(`invalid query parameter ${p.name}`, build({}, withQuery(p.name, bad)));
      if (types(schema).includes("integer")) add(`huge query parameter ${p.name}`, build({}, withQuery(p.name, "1e400")));
    }
  }
  cases.push(...bodyCases(doc, operation, build({}, base), method));
  return cases;
}

function bodyCases(doc: OpenApi, operation: Operation, url: string, method: string): FuzzCase[] {
  const content = operation.requestBody?.content;
  if (!content) return [];
  const cases: FuzzCase[] = [];
  const json = (name: string, body: unknown) =>
    cases.push({ name, method, url, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  cases.push({ name: "a media type the operation does not accept", method, url, headers: { "content-type": "text/x-fuzz" }, body: "x" });
  const jsonType = Object.keys(content).find((t) => /json/i.test(t));
  if (!jsonType) return cases;
  cases.push({ name: "malformed JSON", method, url, headers: { "content-type": "application/json" }, body: '{"unterminated": ' });
  if (operation.requestBody?.required) cases.push({ name: "no body where one is required", method, url });
  const schema = resolve(doc, content[jsonType]?.schema);
  if (!types(schema).includes("object")) return cases;
  json("a JSON array instead of an object", []);
  if (method === "patch") json("a PATCH naming no field", {});
  const valid = sample(doc, schema) as Json;
  // A body declared open (additionalProperties: {} or true) admits other fields by the document itself.
  const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  if (!open) json("an unknown field beside valid ones", { ...valid, unexpectedFuzzField: 1 });
  for (const [name, raw] of Object.entries((schema.properties ?? {}) as Json)) {
    const prop = resolve(doc, raw);
    if (types(prop).includes("string") || types(prop).length === 0) json(`NUL in body field ${name}`, { ...valid, [name]: NUL });
    const wrong = wrongType(prop);
    if (wrong !== undefined) json(`wrong type in body field ${name}`, { ...valid, [name]: wrong });
    if (types(prop).includes("integer")) json(`unsafe integer in body field ${name}`, { ...valid, [name]: 2 ** 63 });
  }
  return cases;
}
