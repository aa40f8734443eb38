import { describe, expect, it } from "vitest";
import { preferredMessageLocale } from "./message-locales.ts";

describe("preferredMessageLocale", () => {
  it("takes the best-ranked language messages are written in", () => {
    expect(preferredMessageLocale("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(preferredMessageLocale("fr-FR, fr;q=0.9, de;q=0.5, en;q=0.7")).toBe("en");
    expect(preferredMessageLocale("en;q=0.2, de-AT")).toBe("de");
    expect(preferredMessageLocale("DE")).toBe("de");
  });

  it("answers null when no language is one of ours, or the header is absent or malformed", () => {
    for (const h of [null, undefined, "", "fr, es;q=0.5", "de;q=0", "*", ";;;,,", "\u0000de"]) expect(preferredMessageLocale(h)).toBeNull();
  });
});
