/**
 * Keeps personal data out of the audit trail: what compliance needs is who
 * did what to which entity and when, not the person's contact details. Keys
 * that name personal data are replaced at any depth; ids stay, so an entry
 * still points at the user it concerns.
 */
const PERSONAL_KEYS = new Set([
  "email",
  "phone",
  "phonenumber",
  "firstname",
  "lastname",
  "fullname",
  "displayname",
  "recipientname",
  "address",
  "addressline1",
  "addressline2",
  "street",
  "postalcode",
  "zip",
  "ip",
  "ipaddress",
  "useragent",
  "password",
  "passwordhash",
  "token",
  "secret",
  "totpsecret",
  "cardnumber",
  "iban",
]);

export const REDACTED = "[redacted]";

export function redactPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPersonalData);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = PERSONAL_KEYS.has(key.toLowerCase().replaceAll(/[_-]/g, "")) ? REDACTED : redactPersonalData(v);
  }
  return out;
}
