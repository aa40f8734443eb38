/** Reports: running one in CSV and downloading the file, then scheduling a report and ending the schedule. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { newAccount } from "./shop.ts";

const browser = sharedBrowser();

describe("reports", () => {
  it("runs a report as CSV, downloads the file, and schedules then ends a weekly report", { timeout: 180_000 }, async () => {
    const analyst = await newAccount(base(), opsToken(), "analyst");
    const { page } = await newPage(browser());
    await signIn(page, analyst.email, analyst.password, "/admin/reports");
    await page.getByRole("cell", { name: "Weekly sales" }).waitFor();
    const form = page.getByRole("form", { name: "Run a report" });
    await form.getByLabel("Report").selectOption("sales-weekly");
    await form.getByLabel("XLSX").uncheck();
    await form.getByLabel("PDF").uncheck();
    await form.getByLabel("Parameters (JSON)").fill('{"currency": "USD"}');
    await form.getByRole("button", { name: "Run the report" }).click();
    // The run is asynchronous: the list polls until it is over, then shows its files (or its error).
    const runs = page.getByRole("table", { name: "Report runs" });
    await runs
      .getByText(/^(succeeded|failed)$/)
      .first()
      .waitFor({ timeout: 120_000 });
    expect(await runs.locator("tbody tr").first().textContent()).toContain("succeeded");
    const link = runs.getByRole("link", { name: "Download sales-weekly as CSV" }).first();
    const file = await fetch(new URL((await link.getAttribute("href"))!, base()));
    expect(file.status).toBe(200);
    expect((await file.text()).length).toBeGreaterThan(0);

    const schedule = page.getByRole("form", { name: "Schedule a report" });
    await schedule.getByLabel("Scheduled report").selectOption("stock");
    await schedule.getByLabel("Every").selectOption("weekly");
    await schedule.getByRole("button", { name: "Schedule" }).click();
    const end = page.getByRole("button", { name: "End the weekly Low stock and stock-outs" });
    await end.waitFor();
    await end.click();
    await page.getByRole("dialog").getByRole("button", { name: "End the schedule" }).click();
    await expect.poll(() => end.count(), { timeout: 15_000 }).toBe(0);
    await page.close();
  });
});
