/** The dashboard's charts with the demo activity of the setup (three paid orders), and its table view of the same data. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { newAccount } from "./shop.ts";

const browser = sharedBrowser();

describe("dashboard", () => {
  it("draws the sales chart with this period against the one before, and lists the same days in a table", {
    timeout: 180_000,
  }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password);
    await page.getByRole("heading", { name: "Sales over time" }).waitFor();
    await page.locator(".chart canvas").first().waitFor();
    expect(await page.evaluate('performance.getEntriesByName("dashboard:charts").length')).toBe(1);
    const legend = await page.locator(".u-legend").textContent();
    expect(legend).toContain("Revenue, last 14 days");
    expect(legend).toContain("The 14 days before");
    const table = page.getByRole("table", { name: "Revenue and orders by day" });
    expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(13);
    // The paid orders of the setup reach the analytics through the pipeline; the page polls today's totals and shows them once they have.
    const orders = page.locator('[data-metric="Orders"]');
    await expect
      .poll(async () => Number((await orders.textContent())?.replace(/\D/g, "") || 0), { timeout: 90_000, interval: 2000 })
      .toBeGreaterThanOrEqual(3);
    expect(await page.getByRole("list").filter({ hasText: "EC-" }).first().textContent()).toMatch(/EC-\d{4}-\d+/);
    await page.close();
  });
});
