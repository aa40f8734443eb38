/**
 * Forms described as data: each field says how it is typed in and how it
 * goes into the API's body. A new API field is one more entry in a list, and
 * the API's own 422 field errors land on the matching input by name.
 */
import { toMinor } from "./product-form.ts";

export type FieldKind =
  | "text" // trimmed text; empty is null unless required
  | "amount" // money in major units ("12.50") → minor units
  | "percent" // a percentage ("12.5") → basis points (1250)
  | "count" // a whole number ≥ 1; empty is null
  | "select" // one of `options`
  | "datetime" // a datetime-local value → ISO 8601 in UTC; empty is null
  | "ids"; // ids separated by commas, spaces or lines → string[]

export interface FieldSpec {
  /** The body's property name, which is also the name 422 errors use. */
  name: string;
  label: string;
  kind: FieldKind;
  options?: readonly (readonly [value: string, label: string])[];
  /** Shown (and sent) only when this holds for the current values. */
  when?: (values: FormValues) => boolean;
  /** Empty is not sent at all (the API's default applies) rather than sent as null. */
  omitWhenEmpty?: boolean;
  hint?: string;
}

export type FormValues = Record<string, string>;

/** The currencies the shop prices in, as select options. */
export const CURRENCIES = [
  ["USD", "USD"],
  ["EUR", "EUR"],
  ["GBP", "GBP"],
] as const;

export const visible = (spec: FieldSpec, values: FormValues) => !spec.when || spec.when(values);

/** The first value of every field: a select's first option, anything else empty. */
export function initialValues(specs: readonly FieldSpec[]): FormValues {
  return Object.fromEntries(specs.map((s) => [s.name, s.kind === "select" ? (s.options?.[0]?.[0] ?? "") : ""]));
}

/** "12.5" → 1250; null when it is not a percentage between 0 and 100 with at most two decimals. */
export function toBasisPoints(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const bp = Math.round(Number(t) * 100);
  return bp <= 10_000 ? bp : null;
}

/** Converts one field; `undefined` leaves it out of the body. */
function convert(spec: FieldSpec, raw: string): { value?: unknown; error?: string } {
  const text = raw.trim();
  if (!text) return spec.omitWhenEmpty ? {} : { value: spec.kind === "ids" ? [] : null };
  switch (spec.kind) {
    case "text":
    case "select":
      return { value: text };
    case "amount": {
      const minor = toMinor(text);
      return minor === null ? { error: "an amount such as 12.50" } : { value: minor };
    }
    case "percent": {
      const bp = toBasisPoints(text);
      return bp === null ? { error: "a percentage between 0.01 and 100, such as 12.5" } : { value: bp };
    }
    case "count":
      return /^\d{1,9}$/.test(text) && Number(text) >= 1 ? { value: Number(text) } : { error: "a whole number of at least 1" };
    case "datetime": {
      const at = new Date(text);
      return Number.isNaN(at.getTime()) ? { error: "a date and time" } : { value: at.toISOString() };
    }
    case "ids":
      return { value: text.split(/[\s,]+/).filter(Boolean) };
  }
}

/** The request body of the visible fields, or the fields a person must fix first (by name). */
export function buildBody(
  specs: readonly FieldSpec[],
  values: FormValues,
): { ok: true; body: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    if (!visible(spec, values)) continue;
    const { value, error } = convert(spec, values[spec.name] ?? "");
    if (error) errors[spec.name] = `${spec.label}: ${error}`;
    else if (value !== undefined) body[spec.name] = value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}
