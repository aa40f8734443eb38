/**
 * Inventory: every SKU's level found by prefix and status (in the URL); a
 * SKU's live level over the WebSocket: an adjustment in the console, and one
 * made elsewhere, both appear without a reload.
 */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, sellableSku } from "./shop.ts";

const browser = sharedBrowser();

describe("inventory", () => {
  it("adjusts stock with a reason and watches the live level change", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { sku } = await sellableSku(base());
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/inventory?sku=${encodeURIComponent(sku)}`);
    await page.getByText("live", { exact: true }).waitFor();
    const onHand = page.locator('[data-metric="on-hand"]');
    const before = Number(((await onHand.textContent()) ?? "").replace(/\D/g, ""));
    await page.getByLabel("Change on hand by").fill("7");
    await page.getByLabel("Reason").fill("Cycle count found a box");
    await page.getByRole("button", { name: "Adjust", exact: true }).click();
    await page.getByRole("button", { name: "Adjust stock" }).click();
    await expect.poll(async () => Number(((await onHand.textContent()) ?? "").replace(/\D/g, "")), { timeout: 15_000 }).toBe(before + 7);
    await page.getByRole("cell", { name: "Cycle count found a box" }).waitFor();
    // A change made elsewhere (another member of staff, the API) reaches the open page over the WebSocket.
    await apiCall(base(), `/api/inventory/${encodeURIComponent(sku)}/adjust`, {
      token: opsToken(),
      json: { delta: -2, reason: "Damaged in the warehouse" },
    });
    await expect.poll(async () => Number(((await onHand.textContent()) ?? "").replace(/\D/g, "")), { timeout: 15_000 }).toBe(before + 5);
    await page.close();
  });

  it("finds a SKU's level by its prefix and status, with the filters in the URL", async () => {
    const sku = `LVL-E2E-${Date.now().toString(36).toUpperCase()}`;
    await apiCall(base(), `/api/inventory/${sku}/restock`, { token: opsToken(), json: { quantity: 2 } });
    await expect
      .poll(
        async () =>
          (await apiCall<{ items: { sku: string }[] }>(base(), `/api/inventory/levels?sku=${sku}`, { token: opsToken() })).items.length,
        { timeout: 30_000 },
      )
      .toBe(1);
    const support = await newAccount(base(), opsToken(), "support");
    const { page } = await newPage(browser());
    await signIn(page, support.email, support.password, "/admin/inventory");
    await page.getByLabel("SKU begins with").fill("LVL-E2E-");
    await page.getByRole("button", { name: "Find" }).click();
    await page.getByLabel("Status").selectOption("low_stock");
    await expect.poll(() => new URL(page.url()).searchParams.get("levelStatus")).toBe("low_stock");
    expect(new URL(page.url()).searchParams.get("levelSku")).toBe("LVL-E2E-");
    const table = page.getByRole("table", { name: "Stock levels" });
    const row = table.getByRole("row").filter({ hasText: sku });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual([sku, "2", "0", "2", "5", "low", expect.any(String)]);
    await page.getByLabel("Status").selectOption("out_of_stock");
    await page.getByText("No SKU matches.").waitFor();
    // The view is a bookmark: reloading it shows the same filters.
    await page.reload();
    expect(await page.getByLabel("Status").inputValue()).toBe("out_of_stock");
    expect(await page.getByLabel("SKU begins with").inputValue()).toBe("LVL-E2E-");
    await page.close();
  });
});
