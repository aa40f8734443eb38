/**
 * The leaf fields of a contract's payload, from its JSON Schema, as the
 * paths the PII rules use: `a.b` for nested objects, `a[].b` inside arrays,
 * `a.*` for the values of a record.
 */
import { z } from "zod";
import type { EventContract } from "../platform/event-contracts.ts";
import { PERSONAL_FIELD_NAMES } from "./pii-patterns.ts";
import { PII_RULES, type PiiAction, ruleFor } from "./pii-rules.ts";

export interface FieldInfo {
  path: string;
  /** JSON Schema type(s) of the leaf, e.g. `string`, `integer`, `string|null`; `enum` for a closed set of strings. */
  type: string;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
};

function walk(schema: JsonSchema, path: string, out: FieldInfo[]): void {
  const variants = schema.anyOf ?? [schema];
  const nonNull = variants.filter((v) => v.type !== "null");
  const nullable = nonNull.length < variants.length;
  if (nonNull.length === 1) {
    const s = nonNull[0]!;
    if (s.properties) {
      for (const [k, v] of Object.entries(s.properties)) walk(v, path ? `${path}.${k}` : k, out);
      return;
    }
    if (s.items) {
      walk(s.items, `${path}[]`, out);
      return;
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      walk(s.additionalProperties, `${path}.*`, out);
      return;
    }
  }
  const types = nonNull.map((v) =>
    v.enum || v.const !== undefined ? "enum" : Array.isArray(v.type) ? v.type.join("|") : (v.type ?? "unknown"),
  );
  out.push({ path, type: [...new Set(types), ...(nullable ? ["null"] : [])].join("|") });
}

export function payloadFields(contract: EventContract): FieldInfo[] {
  const out: FieldInfo[] = [];
  walk(z.toJSONSchema(contract.payload, { unrepresentable: "any" }) as JsonSchema, "", out);
  return out;
}

/** Fields that can carry free text: strings that are not a closed set of values. */
export const isFreeText = (f: FieldInfo) => f.type.split("|").includes("string");

/** Each payload field with what scrubbing does to it: its rule, or the default for a field without one. */
export function fieldRules(contract: EventContract): (FieldInfo & { pii: PiiAction })[] {
  const rules = PII_RULES[contract.type];
  return payloadFields(contract).map((f) => {
    const key =
      f.path
        .split(/[.[\]]+/)
        .filter(Boolean)
        .pop() ?? "";
    const fallback: PiiAction = !isFreeText(f) ? "keep" : PERSONAL_FIELD_NAMES.test(key) ? "drop" : "scan";
    return { ...f, pii: ruleFor(rules, f.path) ?? fallback };
  });
}
