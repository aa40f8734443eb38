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
  | "integer" // a whole number, zero or negative too; empty is null
  | "boolean" // yes or no → true or false
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
  return Object.fromEntries(specs.map((s) => [s.name, firstChoice(s)]));
}

const firstChoice = (s: FieldSpec) => (s.kind === "select" ? (s.options?.[0]?.[0] ?? "") : s.kind === "boolean" ? "true" : "");

/** "2030-01-02T03:04:05Z" → "2030-01-02T04:04" in a browser at UTC+1: what a datetime-local input shows. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The form's values for a record the API returned (the reverse of buildBody), to edit it. */
export function valuesOf(specs: readonly FieldSpec[], record: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    specs.map((s) => {
      const v = record[s.name];
      if (v === null || v === undefined) return [s.name, firstChoice(s)];
      switch (s.kind) {
        case "amount":
          return [s.name, (Number(v) / 100).toFixed(2)];
        case "percent":
          return [s.name, String(Number(v) / 100)];
        case "datetime":
          return [s.name, toLocalInput(String(v))];
        case "ids":
          return [s.name, (v as string[]).join(", ")];
        default:
          return [s.name, String(v)];
      }
    }),
  );
}

/**
 * The PATCH body of an edit: the fields typed differently from `before`
 * (so an untouched date keeps its seconds), and null for a field the change
 * hides (a percentage turned into an amount off drops its percentage).
 */
export function buildChange(
  specs: readonly FieldSpec[],
  before: FormValues,
  values: FormValues,
): { ok: true; body: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const built = buildBody(specs, values);
  if (!built.ok) return built;
  const body: Record<string, unknown> = {};
  for (const spec of specs) {
    const shown = visible(spec, values);
    if (shown && values[spec.name] !== before[spec.name] && spec.name in built.body) body[spec.name] = built.body[spec.name];
    else if (!shown && visible(spec, before) && !spec.omitWhenEmpty) body[spec.name] = null;
  }
  return { ok: true, body };
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
    case "integer":
      return /^-?\d{1,9}$/.test(text) ? { value: Number(text) } : { error: "a whole number" };
    case "boolean":
      return text === "true" || text === "false" ? { value: text === "true" } : { error: "yes or no" };
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
