/**
 * The safety net's patterns: emails, phone numbers and IP addresses inside
 * free text. They are anchored on word boundaries that ids, SKUs, order
 * numbers (`EC-2026-000123`), ISO timestamps and base64url pseudonyms never
 * satisfy, so the net catches personal data without mangling identifiers.
 * The same expressions are valid in Postgres (ARE), for checks in SQL.
 */
export const EMAIL_SOURCE = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`;
/** 9 to 15 digits, optionally with +, spaces, dots, dashes or parentheses between them, not part of a longer word. */
export const PHONE_SOURCE = String.raw`(?<![A-Za-z0-9_-])\+?\(?\d([ ().-]{0,2}\d){8,14}(?![A-Za-z0-9_])`;
const OCTET = String.raw`(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
export const IPV4_SOURCE = String.raw`(?<![\d.])${OCTET}(\.${OCTET}){3}(?![\d.])`;
/** Full or compressed IPv6 (at least three groups, or a `::`); clock times like 10:00:00 have too few groups. */
export const IPV6_SOURCE = `(?<![0-9A-Fa-f:])(([0-9A-Fa-f]{1,4}:){3,7}[0-9A-Fa-f]{1,4}|([0-9A-Fa-f]{1,4}:){1,6}:([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,5})?)(?![0-9A-Fa-f:])`;

export const PII_PATTERNS = [
  { kind: "email", marker: "[email]", regex: new RegExp(EMAIL_SOURCE, "g") },
  { kind: "ip", marker: "[ip]", regex: new RegExp(`${IPV4_SOURCE}|${IPV6_SOURCE}`, "g") },
  { kind: "phone", marker: "[phone]", regex: new RegExp(PHONE_SOURCE, "g") },
] as const;

export type PiiKind = (typeof PII_PATTERNS)[number]["kind"];

/** Replaces every email, IP address and phone number in `text` with a marker; reports what it found. */
export function scrubText(text: string): { text: string; found: PiiKind[] } {
  const found: PiiKind[] = [];
  let out = text;
  for (const p of PII_PATTERNS) {
    out = out.replace(p.regex, () => {
      found.push(p.kind);
      return p.marker;
    });
  }
  return { text: out, found };
}

/**
 * Field names that hold personal data whatever the event: without an
 * explicit rule such a field is dropped, not scanned, because a name or a
 * street address has no pattern to find.
 */
export const PERSONAL_FIELD_NAMES =
  /^(e-?mail(Address)?|phone(Number)?|mobile|(first|last|full|display|given|family)?name|addressLine\d?|street|streetAddress|line[12]|postalCode|zip|city|ip|ipAddress|clientIp|userAgent|password|token|secret)$/i;
