/**
 * Shipping address validation and normalisation, pure so orders can check an
 * address before it reserves stock and delivery can check it again before it
 * buys a label. The country list is the set we ship to; postal codes are
 * checked against the national format where one is well defined and
 * rewritten into the form the national post prints (e.g. `SW1A 1AA`,
 * `1012 AB`, `100-0001`), so carriers and duplicate checks see one spelling.
 */
import { z } from "@hono/zod-openapi";

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  phone?: string | null;
}

export const ShippingAddressSchema: z.ZodType<ShippingAddress> = z
  .strictObject({
    name: z.string().max(120).openapi({ example: "Ana Silva" }),
    line1: z.string().max(200).openapi({ example: "Rua Augusta 100" }),
    line2: z.string().max(200).nullable().optional(),
    city: z.string().max(100).openapi({ example: "Lisboa" }),
    region: z.string().max(100).nullable().optional(),
    postalCode: z.string().max(20).openapi({ example: "1100-053" }),
    country: z.string().max(2).openapi({ example: "PT", description: "ISO 3166-1 alpha-2" }),
    phone: z.string().max(30).nullable().optional(),
  })
  .openapi("ShippingAddress");

export const EU_COUNTRIES = [
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
] as const;
export const SHIPPING_COUNTRIES: ReadonlySet<string> = new Set<string>([
  ...EU_COUNTRIES,
  "GB",
  "US",
  "CA",
  "AU",
  "NZ",
  "CH",
  "NO",
  "IS",
  "LI",
  "JP",
]);

/** A national format: the pattern the cleaned-up code must match and how to print it. */
interface PostalFormat {
  pattern: RegExp;
  example: string;
  format?: (m: RegExpMatchArray) => string;
}

const digits = (n: number, example: string): PostalFormat => ({ pattern: new RegExp(`^\\d{${n}}$`), example });
/** `NNN NN` countries (SE, CZ, SK, GR) accept the code with or without the space. */
const split32 = (example: string): PostalFormat => ({ pattern: /^(\d{3}) ?(\d{2})$/, example, format: (m) => `${m[1]} ${m[2]}` });
/** LV, LT: the country prefix is part of the official form. */
const prefixed = (prefix: string, n: number, example: string): PostalFormat => ({
  pattern: new RegExp(`^(?:${prefix}-?)?(\\d{${n}})$`),
  example,
  format: (m) => `${prefix}-${m[1]}`,
});

const POSTAL_FORMATS: Record<string, PostalFormat> = {
  US: { pattern: /^(\d{5})(?:-?(\d{4}))?$/, example: "94105 or 94105-1234", format: (m) => (m[2] ? `${m[1]}-${m[2]}` : m[1]!) },
  CA: {
    pattern: /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$/,
    example: "K1A 0B1",
    format: (m) => `${m[1]} ${m[2]}`,
  },
  GB: { pattern: /^(GIR|[A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/, example: "SW1A 1AA", format: (m) => `${m[1]} ${m[2]}` },
  IE: { pattern: /^([AC-FHKNPRTV-Y]\d{2}|D6W) ?([0-9AC-FHKNPRTV-Y]{4})$/, example: "D02 X285", format: (m) => `${m[1]} ${m[2]}` },
  NL: { pattern: /^([1-9]\d{3}) ?([A-Z]{2})$/, example: "1012 AB", format: (m) => `${m[1]} ${m[2]}` },
  MT: { pattern: /^([A-Z]{3}) ?(\d{4})$/, example: "VLT 1117", format: (m) => `${m[1]} ${m[2]}` },
  PT: { pattern: /^(\d{4})-?(\d{3})$/, example: "1100-053", format: (m) => `${m[1]}-${m[2]}` },
  PL: { pattern: /^(\d{2})-?(\d{3})$/, example: "00-950", format: (m) => `${m[1]}-${m[2]}` },
  JP: { pattern: /^(\d{3})-?(\d{4})$/, example: "100-0001", format: (m) => `${m[1]}-${m[2]}` },
  ES: { pattern: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: "28013" },
  LU: { pattern: /^(?:L-?)?(\d{4})$/, example: "1009", format: (m) => m[1]! },
  LV: prefixed("LV", 4, "LV-1050"),
  LT: prefixed("LT", 5, "LT-01100"),
  SE: split32("114 55"),
  CZ: split32("110 00"),
  SK: split32("811 01"),
  GR: split32("105 57"),
  DE: digits(5, "10115"),
  FR: digits(5, "75008"),
  IT: digits(5, "00184"),
  FI: digits(5, "00100"),
  EE: digits(5, "10111"),
  HR: digits(5, "10000"),
  RO: digits(6, "010011"),
  AT: digits(4, "1010"),
  CH: digits(4, "8001"),
  LI: { pattern: /^(94[89]\d)$/, example: "9490" },
  BE: digits(4, "1000"),
  DK: digits(4, "1050"),
  NO: digits(4, "0150"),
  AU: digits(4, "2000"),
  NZ: digits(4, "6011"),
  HU: digits(4, "1051"),
  BG: digits(4, "1000"),
  SI: digits(4, "1000"),
  CY: digits(4, "1010"),
  IS: digits(3, "101"),
};

export type AddressIssue = { path: string; message: string };
export type AddressResult = { ok: true; address: ShippingAddress } | { ok: false; issues: AddressIssue[] };

const LIMITS = { name: 120, line1: 200, line2: 200, city: 100, region: 100 } as const;

/** Trims and collapses inner whitespace; control characters never reach a label. */
function clean(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function text(input: Record<string, unknown>, key: string, issues: AddressIssue[], required: boolean, max: number): string | null {
  const raw = input[key];
  if (raw === undefined || raw === null) {
    if (required) issues.push({ path: key, message: "is required" });
    return null;
  }
  if (typeof raw !== "string") {
    issues.push({ path: key, message: "must be a string" });
    return null;
  }
  const value = clean(raw);
  if (value === "") {
    if (required) issues.push({ path: key, message: "is required" });
    return null;
  }
  if (value.length > max) issues.push({ path: key, message: `must be at most ${max} characters` });
  return value;
}

/** Checks a postal code against the country's format and returns its printed form, or an issue message. */
export function normalisePostalCode(country: string, postalCode: string): { ok: true; value: string } | { ok: false; message: string } {
  const compact = clean(postalCode).toUpperCase();
  const format = POSTAL_FORMATS[country];
  if (!format) {
    // Countries without a table entry: a plausible code, nothing more.
    return /^[A-Z0-9][A-Z0-9 -]{1,9}$/.test(compact) ? { ok: true, value: compact } : { ok: false, message: "is not a valid postal code" };
  }
  const m = compact.match(format.pattern);
  if (!m) return { ok: false, message: `is not a valid ${country} postal code (e.g. ${format.example})` };
  return { ok: true, value: format.format ? format.format(m) : compact };
}

/** Phone numbers keep digits and a leading +; 6 to 15 digits as E.164 allows. */
function normalisePhone(raw: string): string | null {
  const value = raw.replace(/[\s().-]/g, "");
  return /^\+?\d{6,15}$/.test(value) ? value : null;
}

export function validateAddress(input: unknown): AddressResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: "", message: "must be an address object" }] };
  }
  const src = input as Record<string, unknown>;
  const issues: AddressIssue[] = [];
  const name = text(src, "name", issues, true, LIMITS.name);
  const line1 = text(src, "line1", issues, true, LIMITS.line1);
  const line2 = text(src, "line2", issues, false, LIMITS.line2);
  const city = text(src, "city", issues, true, LIMITS.city);
  const region = text(src, "region", issues, false, LIMITS.region);
  const countryRaw = text(src, "country", issues, true, 2 + 10);
  const postalRaw = text(src, "postalCode", issues, true, 20);
  const phoneRaw = text(src, "phone", issues, false, 30);

  let country: string | null = null;
  if (countryRaw !== null) {
    const upper = countryRaw.toUpperCase();
    if (!/^[A-Z]{2}$/.test(upper)) issues.push({ path: "country", message: "must be an ISO 3166-1 alpha-2 code such as DE" });
    else if (!SHIPPING_COUNTRIES.has(upper)) issues.push({ path: "country", message: `we do not ship to ${upper}` });
    else country = upper;
  }
  let postalCode: string | null = null;
  if (postalRaw !== null && country !== null) {
    const checked = normalisePostalCode(country, postalRaw);
    if (checked.ok) postalCode = checked.value;
    else issues.push({ path: "postalCode", message: checked.message });
  }
  let phone: string | null = null;
  if (phoneRaw !== null) {
    phone = normalisePhone(phoneRaw);
    if (phone === null) issues.push({ path: "phone", message: "must be a phone number of 6 to 15 digits, optionally with a leading +" });
  }
  if (region !== null && country === "US" && !/^[A-Za-z]{2}$/.test(region)) {
    issues.push({ path: "region", message: "must be a two-letter US state code such as CA" });
  }

  if (issues.length > 0 || !name || !line1 || !city || !country || !postalCode) return { ok: false, issues };
  return {
    ok: true,
    address: {
      name,
      line1,
      line2,
      city,
      region: region !== null && (country === "US" || country === "CA" || country === "AU") ? region.toUpperCase() : region,
      postalCode,
      country,
      phone,
    },
  };
}
