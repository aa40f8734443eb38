/**
 * Promotions: the API's 422 shown on the field, a code created from the form
 * (and refused the second time), found by the URL's filter, its usage report,
 * and its window and limits changed from its page with If-Match.
 */
import { describe, expect, it } from "vitest";
import { base, fieldError, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, sellableSku } from "./shop.ts";

const browser = sharedBrowser();

interface Code {
  id: string;
  code: string;
  kind: string;
  percentBp: number | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  productIds: string[];
}

describe("promotions", () => {
  it("shows the API's field error, creates a code, filters by it in the URL and opens its usage", { timeout: 120_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { productId } = await sellableSku(base(), 1);
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/promotions");
    const form = page.getByRole("form", { name: "New promotion code" });
    await form.waitFor();
    const code = `E2E${Date.now().toString(36).toUpperCase()}`;
    await form.getByLabel("Code", { exact: true }).fill(code);
    await form.getByLabel("Kind").selectOption("percentage");
    // No percentage: the form sends null and the API's 422 names percentBp, shown on that input.
    await form.getByRole("button", { name: "Create the code" }).click();
    const percent = form.getByLabel("Percent off");
    await expect.poll(() => percent.getAttribute("aria-invalid")).toBe("true");
    expect(await fieldError(page, percent)).toBe("required for percentage");
    expect((await apiCall<{ items: Code[] }>(base(), "/api/promotions", { token: opsToken() })).items.some((c) => c.code === code)).toBe(
      false,
    );

    await percent.fill("15");
    await form.getByLabel("Uses in all").fill("50");
    await form.getByLabel("Uses per customer").fill("1");
    await form.getByLabel("Eligible product ids").fill(productId);
    await form.getByRole("button", { name: "Create the code" }).click();
    await page.getByText(`Code ${code} created.`).waitFor();
    const created = (await apiCall<{ items: Code[] }>(base(), "/api/promotions", { token: opsToken() })).items.find((c) => c.code === code);
    expect(created).toMatchObject({ kind: "percentage", percentBp: 1500, usageLimit: 50, perCustomerLimit: 1, productIds: [productId] });

    // The same code again: the API's 409 is shown with its own reason, not as someone else's change.
    await form.getByLabel("Code", { exact: true }).fill(code);
    await form.getByLabel("Percent off").fill("20");
    await form.getByRole("button", { name: "Create the code" }).click();
    await form.getByRole("alert").getByText("Promotion code exists").waitFor();
    expect(await form.getByRole("alert").textContent()).not.toContain("Someone else changed this");

    // The filter lives in the URL: a reload keeps it.
    await page.getByLabel("Code contains").fill(code.toLowerCase());
    await expect.poll(() => new URL(page.url()).searchParams.get("code")).toBe(code.toLowerCase());
    await page.reload();
    const table = page.getByRole("table", { name: "Promotion codes" });
    await table.getByRole("link", { name: code }).waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await table.locator("tbody tr").textContent()).toContain("15 % off");

    await table.getByRole("link", { name: code }).click();
    await page.getByRole("heading", { level: 1, name: `Code ${code}` }).waitFor();
    await page.getByText("No order has used this code yet.").waitFor();
    expect(page.url()).toBe(`${base()}/admin/promotions/${created!.id}`);
    expect(await page.getByText("Uses in force").textContent()).toContain("of 50");

    // Ending the code (after confirming) and bringing it back, each checked through the API.
    await page.getByRole("button", { name: "End the code" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End the code" }).click();
    await page.getByText("The code is ended: no new order can use it.").waitFor();
    const activeOf = async () =>
      (await apiCall<{ active: boolean }>(base(), `/api/promotions/${created!.id}`, { token: opsToken() })).active;
    expect(await activeOf()).toBe(false);
    await page.getByRole("button", { name: "Reactivate" }).click();
    await page.getByText("The code works again.").waitFor();
    expect(await activeOf()).toBe(true);
    await page.close();
  });

  it("changes a code's window and limits from its page, and refuses a change made over someone else's", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const code = `TERMS${Date.now().toString(36).toUpperCase()}`;
    const created = await apiCall<Code & { version: number }>(base(), "/api/promotions", {
      token: opsToken(),
      json: { code, kind: "percentage", percentBp: 1000, usageLimit: 50 },
    });
    type Terms = Code & { endsAt: string | null; priority: number; combinable: boolean; version: number };
    const read = () => apiCall<Terms>(base(), `/api/promotions/${created.id}`, { token: opsToken() });
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/promotions/${created.id}`);
    const terms = page.getByRole("form", { name: `Terms of ${code}` });
    await terms.waitFor();
    expect(await terms.getByLabel("Uses in all").inputValue()).toBe("50");
    await terms.getByLabel("Ends").fill("2031-01-01T12:00");
    await terms.getByLabel("Uses in all").fill("80");
    await terms.getByLabel("Priority").fill("5");
    await terms.getByLabel("Combines with other codes").selectOption("false");
    await terms.getByRole("button", { name: "Save the terms" }).click();
    await page.getByText(`The terms of ${code} are saved.`).waitFor();
    expect(await read()).toMatchObject({
      endsAt: "2031-01-01T12:00:00.000Z",
      usageLimit: 80,
      priority: 5,
      combinable: false,
      percentBp: 1000,
    });

    // Someone else sets the per-customer limit meanwhile: the page's change is refused in plain words and theirs stays.
    const current = await read();
    await apiCall(base(), `/api/promotions/${created.id}`, {
      method: "PATCH",
      token: opsToken(),
      json: { perCustomerLimit: 3 },
      headers: { "if-match": `"v${current.version}"` },
    });
    await terms.getByLabel("Uses per customer").fill("2");
    await terms.getByRole("button", { name: "Save the terms" }).click();
    await terms.getByText("Someone else changed this in the meantime").waitFor();
    expect((await read()).perCustomerLimit).toBe(3);
    // Saved again once the code is read again: the change applies over theirs, and what was not touched stays.
    await terms.getByRole("button", { name: "Save the terms" }).click();
    await page.getByText(`The terms of ${code} are saved.`).waitFor();
    expect(await read()).toMatchObject({ perCustomerLimit: 2, usageLimit: 80, endsAt: "2031-01-01T12:00:00.000Z" });
    await page.close();
  });

  it("creates a buy-X-get-Y code for a category", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const categories = await apiCall<{ items: { id: string }[] }>(base(), "/api/products/categories?limit=1", { token: opsToken() });
    const categoryId = categories.items[0]!.id;
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/promotions");
    const form = page.getByRole("form", { name: "New promotion code" });
    const code = `BXGY${Date.now().toString(36).toUpperCase()}`;
    await form.getByLabel("Code", { exact: true }).fill(code);
    await form.getByLabel("Kind").selectOption("buy_x_get_y");
    await form.getByLabel("Units to buy").fill("2");
    await form.getByLabel("Units given").fill("1");
    await form.getByLabel("Percent off").fill("100");
    await form.getByLabel("Eligible category ids").fill(categoryId);
    await form.getByRole("button", { name: "Create the code" }).click();
    await page.getByText(`Code ${code} created.`).waitFor();
    const created = (
      await apiCall<{ items: (Code & { buyQuantity: number; getQuantity: number; categoryIds: string[] })[] }>(base(), "/api/promotions", {
        token: opsToken(),
      })
    ).items.find((c) => c.code === code);
    expect(created).toMatchObject({ kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1, percentBp: 10_000, categoryIds: [categoryId] });
    await page.close();
  });

  it("lists promotions in the navigation for admins only", async () => {
    const support = await newAccount(base(), opsToken(), "support");
    const { page } = await newPage(browser());
    await signIn(page, support.email, support.password, "/admin/promotions");
    await page.getByText("Promotion codes are managed by admins.").waitFor();
    const nav = page.getByRole("navigation", { name: "Console" });
    expect(await nav.getByRole("link", { name: "Orders" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: "Promotions" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Timed discounts" }).count()).toBe(0);
    await page.close();
  });
});
