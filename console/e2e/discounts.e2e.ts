/**
 * Timed discounts: the API's 422 on the field, a discount on one product
 * created from the form, edited (and refused over someone else's change),
 * then ended.
 */
import { describe, expect, it } from "vitest";
import { base, fieldError, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, sellableSku } from "./shop.ts";

const browser = sharedBrowser();

interface Discount {
  id: string;
  name: string;
  kind: string;
  percentBp: number | null;
  scope: string;
  productId: string | null;
  endsAt: string | null;
}
const discounts = async (state = "") =>
  (
    await apiCall<{ items: Discount[] }>(base(), `/api/products/discounts?limit=100${state ? `&state=${state}` : ""}`, {
      token: opsToken(),
    })
  ).items;

describe("timed discounts", () => {
  it("shows the API's field error, creates a discount on a product, edits it and ends it", { timeout: 120_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { productId } = await sellableSku(base(), 1);
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/discounts");
    const form = page.getByRole("form", { name: "New discount" });
    await form.waitFor();
    const name = `Console sale ${Date.now().toString(36)}`;
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Kind").selectOption("fixed");
    await form.getByLabel("Applies to").selectOption("product");
    await form.getByLabel("Product id").fill(productId);
    // No amount: the API's rule names amountMinor, shown on that input.
    await form.getByRole("button", { name: "Create the discount" }).click();
    const amount = form.getByLabel("Amount off");
    await expect.poll(() => amount.getAttribute("aria-invalid")).toBe("true");
    expect(await fieldError(page, amount)).toMatch(/a fixed discount has amountMinor/);

    await form.getByLabel("Kind").selectOption("percentage");
    await form.getByLabel("Percent off").fill("10");
    await form.getByRole("button", { name: "Create the discount" }).click();
    await page.getByText(`Discount ${name} created.`).waitFor();
    const created = (await discounts("active")).find((d) => d.name === name);
    expect(created).toMatchObject({ kind: "percentage", percentBp: 1000, scope: "product", productId, endsAt: null });

    // Edited: a new percentage, saved with the version read.
    const discountTable = page.getByRole("table", { name: "Discounts" });
    await discountTable.getByRole("button", { name: `Edit ${name}` }).click();
    let edit = page.getByRole("form", { name: `Edit the discount ${name}` });
    expect(await edit.getByLabel("Percent off").inputValue()).toBe("10");
    await edit.getByLabel("Percent off").fill("15");
    await edit.getByRole("button", { name: "Save the discount" }).click();
    await page.getByText(`Discount ${name} saved.`).waitFor();
    const byId = async () => (await discounts()).find((d) => d.id === created!.id)!;
    expect(await byId()).toMatchObject({ percentBp: 1500, endsAt: null });

    // Someone else gives it an end meanwhile: the stale edit is refused in plain words, then applies once saved again.
    await discountTable.getByRole("button", { name: `Edit ${name}` }).click();
    edit = page.getByRole("form", { name: `Edit the discount ${name}` });
    const { version } = await apiCall<{ version: number }>(base(), `/api/products/discounts/${created!.id}`, { token: opsToken() });
    await apiCall(base(), `/api/products/discounts/${created!.id}`, {
      method: "PATCH",
      token: opsToken(),
      json: { endsAt: "2035-01-01T00:00:00Z" },
      headers: { "if-match": `"v${version}"` },
    });
    await edit.getByLabel("Percent off").fill("20");
    await edit.getByRole("button", { name: "Save the discount" }).click();
    await edit.getByText("Someone else changed this in the meantime").waitFor();
    expect((await byId()).percentBp).toBe(1500);
    await edit.getByRole("button", { name: "Save the discount" }).click();
    await page.getByText(`Discount ${name} saved.`).waitFor();
    expect(await byId()).toMatchObject({ percentBp: 2000, endsAt: "2035-01-01T00:00:00.000Z" });

    // The state filter is in the URL.
    await page.getByLabel("State").selectOption("active");
    await expect.poll(() => new URL(page.url()).searchParams.get("state")).toBe("active");
    const table = page.getByRole("table", { name: "Discounts" });
    await table.getByRole("button", { name: `End ${name}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End the discount" }).click();
    await expect.poll(() => table.getByRole("button", { name: `End ${name}` }).count(), { timeout: 15_000 }).toBe(0);
    const ended = (await discounts("ended")).find((d) => d.id === created!.id);
    expect(ended?.endsAt).toBeTruthy();
    expect(Date.parse(ended!.endsAt!)).toBeLessThanOrEqual(Date.now());
    expect((await discounts("active")).some((d) => d.id === created!.id)).toBe(false);
    await page.close();
  });
});
