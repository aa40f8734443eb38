/** A SKU's live level over the WebSocket: an adjustment in the console, and one made elsewhere, both appear without a reload. */
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
});
