import { describe, expect, it } from "vitest";
import { contentReasons, foldText, holdReasons, isNewAccount, screenText } from "./screening.ts";

const now = new Date("2026-11-20T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe("screening", () => {
  it("passes ordinary reviews, numbers and punctuation included", () => {
    expect(screenText("Great headphones! 5 stars, battery lasts 30h and the case is 100% solid.")).toEqual([]);
    expect(screenText("Shiitake mushrooms grew well in this planter; a classic for Scunthorpe gardeners.")).toEqual([]);
  });

  it("flags offensive words through case, accents, substitutions and stretched letters", () => {
    for (const text of ["This is SHIT.", "total sh1t product", "$hit quality", "shiiiit", "What a fúcking joke", "bullshit!"]) {
      expect(screenText(text), text).toContain("offensive");
    }
    expect(foldText("Crème $hit 5 stars")).toBe("creme shit 5 stars");
  });

  it("flags links as spam and contact details as personal data", () => {
    expect(screenText("Cheaper at www.example-shop.biz")).toEqual(["spam"]);
    expect(screenText("see https://bit.ly/x")).toEqual(["spam"]);
    expect(screenText("buy at cheapstuff.ru now")).toEqual(["spam"]);
    expect(screenText("Click here for a deal")).toEqual(["spam"]);
    expect(screenText("Mail me at jane.doe@example.com")).toEqual(["personal_data"]);
    expect(screenText("Call +44 20 7946 0958 for spares")).toEqual(["personal_data"]);
  });

  it("holds reviews of accounts younger than three days", () => {
    expect(isNewAccount(daysAgo(2.9), now)).toBe(true);
    expect(isNewAccount(daysAgo(3), now)).toBe(false);
    expect(isNewAccount(null, now)).toBe(true);
    expect(holdReasons({ title: null, body: "Fine product", memberSince: daysAgo(1), now })).toEqual(["new_account"]);
    expect(holdReasons({ title: "shit", body: "Fine product", memberSince: daysAgo(30), now })).toEqual(["offensive"]);
    expect(holdReasons({ title: "Nice", body: "Fine product", memberSince: daysAgo(30), now })).toEqual([]);
    expect(contentReasons(["new_account", "spam", "reports", "offensive"])).toEqual(["spam", "offensive"]);
  });
});
