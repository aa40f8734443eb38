/** The API reference page (/api/docs) in Chromium: its operations are listed, all from this origin, with no policy violation. */
import { describe, expect, it } from "vitest";
import { base, newPage, sharedBrowser } from "./console.ts";

const browser = sharedBrowser();

describe("API reference page", () => {
  it("lists the operations from this origin's files alone, with no Content-Security-Policy violation", async () => {
    const { page, requested, errors } = await newPage(browser());
    // The page's own report of every refused load or inline script (the console message can be worded otherwise).
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(
      'document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(e.violatedDirective + " " + e.blockedURI));',
    );
    await page.goto(`${base()}/api/docs`);
    // (A locator, not waitForFunction: the page's policy refuses the string evaluation that polls with.)
    await page.locator(".opblock-summary-path").nth(4).waitFor({ state: "attached" });
    // Swagger UI breaks a path's text with zero-width spaces: read the paths without them.
    const paths = (await page.evaluate(
      '[...document.querySelectorAll(".opblock-summary-path")].map((e) => e.textContent.replace(/[\\u200b]/g, ""))',
    )) as string[];
    expect(paths.length).toBeGreaterThanOrEqual(5);
    expect(paths).toEqual(expect.arrayContaining(["/api/analytics/sales", "/api/analytics/funnel"]));
    // Open one operation: its details (parameters, responses, schemas) render too.
    await page.locator(".opblock-summary").first().click();
    await page.locator(".responses-wrapper").first().waitFor();
    await page.waitForLoadState("networkidle");

    const origin = new URL(base()).origin;
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${origin}/api-reference/swagger-ui-bundle.js`, `${origin}/api/openapi.json`]));
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
