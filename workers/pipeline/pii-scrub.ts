/**
 * Applies the PII rules (pii-rules.ts) to a validated event: the payload
 * field by field, and the envelope (a user actor and a user's subject id
 * become pseudonyms; free text is scanned). Pure apart from the HMAC.
 */
import type { Envelope } from "../platform/event-envelope.ts";
import { PERSONAL_FIELD_NAMES, scrubText } from "./pii-patterns.ts";
import { type FieldRules, PII_RULES, type PiiAction, ruleFor } from "./pii-rules.ts";
import type { Pseudonymizer } from "./pseudonym.ts";

export interface ScrubReport {
  hashed: string[];
  dropped: string[];
  /** Fields in which the safety net replaced an email, phone number or IP address. */
  masked: string[];
}

const DROP = Symbol("drop");
type Out = unknown | typeof DROP;

interface Walk {
  rules: FieldRules | undefined;
  pz: Pseudonymizer;
  report: ScrubReport;
}

async function applyRule(value: unknown, path: string, action: PiiAction, w: Walk): Promise<Out> {
  switch (action) {
    case "keep":
      return value;
    case "drop":
      w.report.dropped.push(path);
      return DROP;
    case "hmac":
      return mapStrings(value, path, w, async (s) => {
        w.report.hashed.push(path);
        return w.pz(s);
      });
    case "scan":
      return mapStrings(value, path, w, async (s) => scanned(s, path, w));
  }
}

function scanned(text: string, path: string, w: Walk): string {
  const { text: out, found } = scrubText(text);
  if (found.length > 0) w.report.masked.push(path);
  return out;
}

/** Applies `fn` to every string inside `value` (a rule on an object or array covers its contents). */
async function mapStrings(value: unknown, path: string, w: Walk, fn: (s: string) => Promise<string>): Promise<unknown> {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => mapStrings(v, `${path}[]`, w, fn)));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await mapStrings(v, `${path}.${k}`, w, fn);
    return out;
  }
  return value;
}

async function scrubValue(value: unknown, path: string, key: string, w: Walk): Promise<Out> {
  const action = path ? ruleFor(w.rules, path) : undefined;
  if (action) return applyRule(value, path, action, w);
  if (typeof value === "string") {
    if (PERSONAL_FIELD_NAMES.test(key)) {
      w.report.dropped.push(path);
      return DROP;
    }
    return scanned(value, path, w);
  }
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((v) => scrubValue(v, `${path}[]`, key, w)));
    return items.filter((v) => v !== DROP);
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const scrubbed = await scrubValue(v, path ? `${path}.${k}` : k, k, w);
      if (scrubbed !== DROP) out[k] = scrubbed;
    }
    return out;
  }
  return value;
}

/**
 * Scrubs a payload with the rules of `type` (a type without rules gets the
 * safety net alone). The result keeps the payload's type for the fields the
 * rules keep: strings stay strings (pseudonyms, masked text); the fields
 * they drop are absent. (Only a rule on the whole payload could drop it, and
 * rules name fields, so the payload itself is never dropped.)
 */
export async function scrubPayload<P>(type: string, payload: P, pz: Pseudonymizer): Promise<{ payload: P; report: ScrubReport }> {
  const report: ScrubReport = { hashed: [], dropped: [], masked: [] };
  const out = await scrubValue(payload, "", "", { rules: PII_RULES[type], pz, report });
  return { payload: (out === DROP ? null : out) as P, report };
}

/** Topics whose events are about a user: their subject id is that user's id. */
const USER_SUBJECT_TOPICS = new Set(["user", "auth"]);

/** A validated event after scrubbing: what fact loaders get (fact-loaders.ts). */
export interface ScrubbedEvent<P = unknown> extends Envelope<P> {
  report: ScrubReport;
}

export async function scrubEvent<P>(event: Envelope<P>, pz: Pseudonymizer): Promise<ScrubbedEvent<P>> {
  const { payload, report } = await scrubPayload(event.type, event.payload, pz);
  const subjectId = USER_SUBJECT_TOPICS.has(event.topic) ? await pz(event.subjectId) : scrubText(event.subjectId).text;
  const actor = event.actor?.type === "user" ? { type: "user" as const, id: await pz(event.actor.id) } : event.actor;
  return { ...event, subjectId, actor, correlationId: scrubText(event.correlationId).text, payload, report };
}
