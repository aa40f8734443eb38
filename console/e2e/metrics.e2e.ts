/** Metrics: the Prometheus text read into requests by status, the 5xx share and p95 per route, and the sample filter in the URL. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { newAccount } from "./shop.ts";

const browser = sharedBrowser();

describe("metrics", () => {
  it("shows the request figures and filters the samples by name", async () => {
    const analyst = await newAccount(base(), opsToken(), "analyst");
    const { page } = await newPage(browser());
    await signIn(page, analyst.email, analyst.password, "/admin/metrics");
    await page.getByRole("heading", { name: "Requests by status" }).waitFor();
    expect(Number((await page.locator('[data-metric="requests"]').textContent())?.replace(/\D/g, ""))).toBeGreaterThan(0);
    await page.getByRole("table", { name: "Requests by status" }).getByRole("cell", { name: "200", exact: true }).waitFor();
    await page
      .getByRole("table", { name: "95th percentile latency per route" })
      .getByRole("cell", { name: /^\/api\// })
      .first()
      .waitFor();
    await page.getByLabel("Name contains").fill("http_requests_total");
    expect(page.url()).toContain("q=http_requests_total");
    const names = await page.getByRole("table", { name: "Metric samples" }).locator("tbody tr td:first-child").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes("http_requests_total"))).toBe(true);
    await page.close();
  });
});
