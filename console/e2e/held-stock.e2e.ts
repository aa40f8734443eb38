/**
 * Inventory's held stock: a shopper's hold appears in the staff list with the
 * totals, the SKU filter stays in the URL, and the SKU's page lists that hold
 * itself (reservation, units, expiry, the shopper).
 */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, sellableSku } from "./shop.ts";

const browser = sharedBrowser();

describe("held stock", () => {
  it("lists a SKU a shopper holds units of, filtered by its SKU", async () => {
    const { sku } = await sellableSku(base(), 3);
    const shopper = await newAccount(base(), opsToken(), "customer");
    const { reservationId } = await apiCall<{ reservationId: string }>(base(), "/api/inventory/reserve", {
      token: shopper.token,
      json: { lines: [{ sku, quantity: 2 }] },
    });
    // The list reads the stock projection, which follows the SKU's events.
    await expect
      .poll(
        async () =>
          (
            await apiCall<{ items: { sku: string; reserved: number }[] }>(
              base(),
              `/api/inventory/reservations?sku=${encodeURIComponent(sku)}`,
              {
                token: opsToken(),
              },
            )
          ).items[0]?.reserved ?? 0,
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(2);
    const support = await newAccount(base(), opsToken(), "support");
    const { page } = await newPage(browser());
    await signIn(page, support.email, support.password, "/admin/inventory");
    await page.getByLabel("SKU starts with").fill(sku);
    await page.getByRole("button", { name: "Filter" }).click();
    expect(page.url()).toContain(`heldSku=${encodeURIComponent(sku)}`);
    const table = page.getByRole("table", { name: "SKUs held by reservations" });
    await table.getByRole("link", { name: sku }).waitFor();
    expect(Number((await page.locator('[data-metric="held-skus"]').textContent())?.replace(/\D/g, ""))).toBe(1);
    expect(Number((await page.locator('[data-metric="held-units"]').textContent())?.replace(/\D/g, ""))).toBeGreaterThanOrEqual(2);
    // The SKU's own page: each hold, with who placed it.
    await table.getByRole("link", { name: sku }).click();
    const holds = page.getByRole("table", { name: `Live holds of ${sku}` });
    const row = holds.getByRole("row").filter({ hasText: reservationId });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[1]).toBe("2");
    expect(cells[2]).toBe("held");
    expect(cells[3]).toMatch(/\d{4}/);
    await row.getByRole("link", { name: shopper.id }).click();
    await page.waitForURL(new RegExp(`/admin/customers/${shopper.id}$`));
    await page.getByText(shopper.email).first().waitFor();
    await page.close();
  });
});
