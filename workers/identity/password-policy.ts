/**
 * The password policy, after NIST SP 800-63B and OWASP ASVS: a minimum
 * length, a generous maximum (never below 64), no composition rules, and a
 * screen against common and context-specific passwords.
 */
import { COMMON_PASSWORD_WORDS, COMMON_SEQUENCES } from "./common-passwords.ts";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = "too_short" | "too_long" | "too_common" | "too_repetitive" | "contains_personal_data";

export interface PasswordContext {
  email?: string | null;
  name?: string | null;
}

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters`,
  too_long: `Use at most ${MAX_PASSWORD_LENGTH} characters`,
  too_common: "This password is too common; a few unrelated words make a strong one",
  too_repetitive: "This password repeats too few different characters",
  contains_personal_data: "The password must not contain your email address or name",
};

export function describeProblem(problem: PasswordProblem): string {
  return MESSAGES[problem];
}

/** Undoes the substitutions people make to dress up a common word. */
const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
  "+": "t",
};

function lettersOf(text: string, leet: boolean): string {
  let out = "";
  for (const ch of text.toLowerCase()) {
    const mapped = leet ? (LEET[ch] ?? ch) : ch;
    if (/\p{L}/u.test(mapped)) out += mapped;
  }
  return out;
}

const SEQUENCES = COMMON_SEQUENCES.map((s) => s + s);

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const compact = lower.replace(/[^\p{L}\p{N}]/gu, "");
  if (COMMON_PASSWORD_WORDS.has(compact)) return true;
  // A common word, or two of them, decorated with digits, symbols and substitutions: "P@ssw0rd2024!", "iloveyou123456".
  // Digits and symbols at the ends are decoration ("2024!"); inside a word they are substitutions ("p@ssw0rd").
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  for (const base of new Set([lettersOf(lower, false), lettersOf(core, true), lettersOf(lower, true)])) {
    if (base.length === 0) continue;
    if (COMMON_PASSWORD_WORDS.has(base)) return true;
    for (let i = 3; i <= base.length - 3; i++)
      if (COMMON_PASSWORD_WORDS.has(base.slice(0, i)) && COMMON_PASSWORD_WORDS.has(base.slice(i))) return true;
    // The same word typed twice or more: "monkeymonkey".
    for (let len = 3; len <= base.length / 2; len++) {
      if (base.length % len === 0 && base.slice(0, len).repeat(base.length / len) === base && COMMON_PASSWORD_WORDS.has(base.slice(0, len)))
        return true;
    }
  }
  // A slice of a keyboard walk or a counting run, also across its end: "123456789012", "1q2w3e4r5t6y".
  return compact.length >= 6 && SEQUENCES.some((s) => s.includes(compact));
}

function personalParts(context: PasswordContext): string[] {
  const parts: string[] = [];
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local) parts.push(local, ...local.split(/[^\p{L}\p{N}]+/u));
  if (context.name) parts.push(...context.name.toLowerCase().split(/\s+/));
  return parts.filter((p) => p.length >= 4);
}

/** The problems of a candidate password; empty when it is acceptable. */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordProblem[] {
  const normalized = password.normalize("NFKC");
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) return ["too_short"];
  if (length > MAX_PASSWORD_LENGTH) return ["too_long"];
  const problems: PasswordProblem[] = [];
  if (new Set(normalized.toLowerCase()).size < 5) problems.push("too_repetitive");
  else if (isCommon(normalized)) problems.push("too_common");
  const lower = normalized.toLowerCase();
  if (personalParts(context).some((p) => lower.includes(p))) problems.push("contains_personal_data");
  return problems;
}
