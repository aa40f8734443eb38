/** Request and response schemas of the search rules API: synonyms, stop words, pinned and boosted products. */
import { z } from "@hono/zod-openapi";
import { Language, NO_CONTROLS } from "./schemas.ts";

/** Free text that the server normalises; NUL and other control characters are refused outright. */
const Phrase = (description: string) =>
  z.string().trim().min(1).max(100).regex(NO_CONTROLS, "must not contain control characters").openapi({ description });

const RuleId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`);

export const LanguageQuery = z.object({ lang: Language.default("en") });

export const SynonymBody = z
  .object({
    term: Phrase("A word or phrase shoppers type"),
    synonym: Phrase("What it also means"),
    twoWay: z
      .boolean()
      .default(false)
      .openapi({ description: "true: each finds the other (sneakers ↔ trainers); false: term finds synonym only" }),
    language: Language.default("en"),
  })
  .strict()
  .openapi("SearchSynonymRequest");

export const SynonymSchema = z
  .object({ id: z.string(), language: z.string(), term: z.string(), synonym: z.string(), twoWay: z.boolean(), createdAt: z.string() })
  .openapi("SearchSynonym");

export const SynonymParam = z.object({ id: RuleId("syn") });

export const StopWordBody = z
  .object({ word: Phrase("One word"), language: Language.default("en") })
  .strict()
  .openapi("SearchStopWordRequest");

export const StopWordSchema = z.object({ language: z.string(), word: z.string(), createdAt: z.string() }).openapi("SearchStopWord");

export const StopWordParam = z.object({
  lang: Language,
  word: z.string().min(1).max(100).regex(NO_CONTROLS, "must not contain control characters"),
});

const ProductId = z.string().regex(/^prd_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a product id");

export const MerchandisingBody = z
  .discriminatedUnion("kind", [
    z
      .object({
        query: Phrase("The query the rule applies to"),
        productId: ProductId,
        kind: z.literal("pin"),
        position: z.number().int().min(1).max(50).openapi({ description: "1 is first; pins lead the ranking in this order" }),
      })
      .strict(),
    z
      .object({
        query: Phrase("The query the rule applies to"),
        productId: ProductId,
        kind: z.literal("boost"),
        boost: z.number().gt(0).max(100).openapi({ description: "Added to the product's relevance score when it matches the query" }),
      })
      .strict(),
  ])
  .openapi("SearchMerchandisingInput");

export const MerchandisingSchema = z
  .object({
    id: z.string(),
    query: z.string(),
    productId: z.string(),
    kind: z.enum(["pin", "boost"]),
    position: z.number().int().nullable(),
    boost: z.number().nullable(),
    createdAt: z.string(),
  })
  .openapi("SearchMerchandisingRule");

export const MerchandisingQuery = z.object({ query: Phrase("Only the rules of this query").optional() });

export const MerchandisingParam = z.object({ id: RuleId("smr") });
