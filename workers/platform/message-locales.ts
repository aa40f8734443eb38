/**
 * The languages customer messages are written in. The notifications family
 * keeps a template bundle for each (its bundle table is typed by this list,
 * so the two cannot drift apart); families that record a language for
 * someone without an account (a guest order, a guest cart's reminder
 * address) record one of these.
 */
export const MESSAGE_LOCALES = ["en", "de"] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];
export const DEFAULT_MESSAGE_LOCALE: MessageLocale = "en";

const isMessageLocale = (tag: string): tag is MessageLocale => (MESSAGE_LOCALES as readonly string[]).includes(tag);

/**
 * The first language of an `Accept-Language` header that messages are
 * written in, by the header's quality values (`de-AT` counts as `de`); null
 * when none is (the caller then uses its default).
 */
export function preferredMessageLocale(header: string | null | undefined): MessageLocale | null {
  if (!header) return null;
  const ranked = header
    .slice(0, 500)
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().toLowerCase().split("-")[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((r) => isMessageLocale(r.language))?.language as MessageLocale | undefined) ?? null;
}
