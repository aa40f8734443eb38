/**
 * Automatic screening of new review text: what holds a review for a
 * moderator instead of publishing it at once. Pure functions.
 *
 * - accounts younger than NEW_ACCOUNT_DAYS (fresh accounts are where review
 *   spam and revenge reviews come from);
 * - flagged words, compared after folding case, accents, common letter
 *   substitutions (`sh1t`, `$hit`) and stretched letters (`shiiit`);
 * - links and web addresses (spam), email addresses and phone numbers
 *   (personal data, the author's or someone else's).
 *
 * Screening only decides between "publish now" and "ask a moderator"; it
 * never refuses a review, so a false positive costs a moderator's glance.
 */
import type { HoldReason } from "../../db/schema/reviews.ts";

export const NEW_ACCOUNT_DAYS = 3;
const DAY_MS = 86_400_000;

export type ContentReason = Extract<HoldReason, "offensive" | "spam" | "personal_data">;

/** Whole words (after folding) that hold a review. Kept short and explicit on purpose. */
const OFFENSIVE_WORDS = new Set([
  "fuck",
  "fucking",
  "fucked",
  "fucker",
  "motherfucker",
  "shit",
  "shitty",
  "bullshit",
  "bitch",
  "bastard",
  "asshole",
  "cunt",
  "dickhead",
  "wanker",
  "retard",
  "retarded",
  "whore",
  "slut",
]);
/** Words and phrases typical of paid or bulk spam. */
const SPAM_PHRASES = [
  "viagra",
  "cialis",
  "casino",
  "crypto giveaway",
  "click here",
  "buy followers",
  "earn money from home",
  "whatsapp me",
  "telegram me",
];

const SUBSTITUTIONS: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };

/** Lower case without accents, with look-alike digits and symbols read as letters. */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[013457@$!]/g, (ch, offset: number, whole: string) => {
      // Only where a letter is meant: before a letter ("$hit", "sh1t"), or a digit ending a word ("shi7").
      // "5 stars", "100%" and a closing "!" stay as they are.
      const prevIsLetter = /\p{L}/u.test(whole[offset - 1] ?? " ");
      const nextIsLetter = /\p{L}/u.test(whole[offset + 1] ?? " ");
      return nextIsLetter || (prevIsLetter && /\d/.test(ch)) ? SUBSTITUTIONS[ch]! : ch;
    });
}

const squeeze = (word: string) => word.replace(/(\p{L})\1+/gu, "$1");
const SQUEEZED_OFFENSIVE = new Set([...OFFENSIVE_WORDS].map(squeeze));

function hasOffensiveWord(folded: string): boolean {
  for (const word of folded.split(/[^\p{L}]+/u)) {
    if (!word) continue;
    if (OFFENSIVE_WORDS.has(word) || SQUEEZED_OFFENSIVE.has(squeeze(word))) return true;
  }
  return false;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|co|biz|info|ru|cn|xyz|top|shop|store|link|click)\b/i;
const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
// Nine or more digits, optionally led by + and split by spaces, dots, dashes or brackets: a phone number.
const PHONE_PATTERN = /(?:\+|\b)\d(?:[\s().-]?\d){8,}\b/;

/** What in a review's text needs a moderator, in order of seriousness. */
export function screenText(text: string): ContentReason[] {
  const folded = foldText(text);
  const reasons: ContentReason[] = [];
  if (hasOffensiveWord(folded)) reasons.push("offensive");
  if (EMAIL_PATTERN.test(text) || PHONE_PATTERN.test(text)) reasons.push("personal_data");
  if (URL_PATTERN.test(text.replace(EMAIL_PATTERN, " ")) || SPAM_PHRASES.some((p) => folded.includes(p))) reasons.push("spam");
  return reasons;
}

export function isNewAccount(memberSince: Date | null, now: Date, days = NEW_ACCOUNT_DAYS): boolean {
  // An account the users family does not know (deleted while its token lives) is treated as new.
  return memberSince === null || now.getTime() - memberSince.getTime() < days * DAY_MS;
}

/** Every reason to hold a review with this text by this account; empty: publish at once. */
export function holdReasons(input: { title: string | null; body: string; memberSince: Date | null; now: Date }): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (isNewAccount(input.memberSince, input.now)) reasons.push("new_account");
  reasons.push(...screenText(`${input.title ?? ""}\n${input.body}`));
  return reasons;
}

/** The content reasons among hold reasons: those that make screening flag the review to moderators. */
export function contentReasons(reasons: readonly HoldReason[]): ContentReason[] {
  return reasons.filter((r): r is ContentReason => r === "offensive" || r === "spam" || r === "personal_data");
}
