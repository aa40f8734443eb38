/** axe-core on every page of the console, in both themes: no serious or critical violations. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, placeConfirmedOrders, sellableSku } from "./shop.ts";

const browser = sharedBrowser();
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The page's serious and critical violations (axe runs through the DevTools protocol, which the page's CSP does not govern). */
async function scan(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as Violation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("accessibility", () => {
  it("finds no serious or critical violation on any page, in the light and the dark theme", { timeout: 240_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { sku, productId } = await sellableSku(base(), 2);
    // A live hold, so the SKU's page shows its holds table to the scan.
    await apiCall(base(), "/api/inventory/reserve", { token: admin.token, json: { lines: [{ sku, quantity: 1 }], ttlSeconds: 600 } });
    const { orderIds } = await placeConfirmedOrders(base(), 1);
    const order = await apiCall<{ number: string }>(base(), `/api/orders/${orderIds[0]}`, { token: opsToken() });
    const promotion = await apiCall<{ id: string; code: string }>(base(), "/api/promotions", {
      token: opsToken(),
      json: { code: `A11Y${Date.now().toString(36).toUpperCase()}`, kind: "free_shipping" },
    });
    // A running discount, so its edit form can be opened and scanned.
    const discount = await apiCall<{ name: string }>(base(), "/api/products/discounts", {
      token: opsToken(),
      json: { name: `A11y sale ${Date.now().toString(36)}`, kind: "percentage", percentBp: 500, scope: "product", productId },
    });
    const { page } = await newPage(browser());
    await page.goto(`${base()}/admin`);
    await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
    const found: Record<string, string[]> = { "sign-in": await scan(page) };
    await signIn(page, admin.email, admin.password);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // A page, its heading, and the form to open before the scan (edit forms shown in place).
    const pages: [string, string, string?][] = [
      ["/admin", "Dashboard"],
      ["/admin/orders", "Orders"],
      [`/admin/orders/${orderIds[0]}`, `Order ${order.number}`],
      ["/admin/products", "Catalogue"],
      [`/admin/products/${productId}`, "Edit"],
      ["/admin/products/new", "New product"],
      [`/admin/inventory?sku=${encodeURIComponent(sku)}`, "Inventory"],
      ["/admin/customers", "Customers"],
      [`/admin/customers/${admin.id}`, "Test admin"],
      ["/admin/reviews", "Reviews"],
      ["/admin/operations", "Operations"],
      ["/admin/audit", "Audit trail"],
      ["/admin/reports", "Reports"],
      ["/admin/backups", "Backups"],
      ["/admin/metrics", "Metrics"],
      ["/admin/categories", "Categories and brands"],
      ["/admin/categories", "Categories and brands", "Edit Apparel"],
      ["/admin/discounts", "Timed discounts"],
      ["/admin/discounts", "Timed discounts", `Edit ${discount.name}`],
      ["/admin/promotions", "Promotions"],
      [`/admin/promotions/${promotion.id}`, `Code ${promotion.code}`],
    ];
    for (const theme of ["light", "dark"]) {
      for (const [path, heading, open] of pages) {
        await page.goto(`${base()}${path}`);
        await page.evaluate(`localStorage.setItem("console-theme", "${theme}"); document.documentElement.dataset.theme = "${theme}";`);
        await page.getByRole("heading", { level: 1, name: heading }).first().waitFor();
        await page
          .locator('[role="status"]')
          .first()
          .waitFor({ state: "detached", timeout: 10_000 })
          .catch(() => undefined);
        if (open) await page.getByRole("button", { name: open, exact: true }).click();
        found[`${theme} ${path}${open ? ` (${open})` : ""}`] = await scan(page);
      }
    }
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
    await page.close();
  });
});
