/**
 * Categories and brands: adding, renaming, moving and placing among siblings
 * with If-Match (and the conflict message when changed elsewhere), deleting.
 */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount } from "./shop.ts";

const browser = sharedBrowser();

interface Item {
  id: string;
  parentId: string | null;
  path?: string;
  name: string;
  slug: string;
  version: number;
  position: number;
}
const categories = async () => (await apiCall<{ items: Item[] }>(base(), "/api/products/categories?limit=500")).items;
const brands = async () => (await apiCall<{ items: Item[] }>(base(), "/api/products/brands?limit=100")).items;

describe("categories and brands", () => {
  it("adds, renames and moves a category, refuses a stale rename, and adds then deletes a brand", { timeout: 120_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/categories");
    const tag = Date.now().toString(36);
    const name = `Lamps ${tag}`;
    const newCategory = page.getByRole("form", { name: "New category" });
    await newCategory.getByLabel("New category").fill(name);
    await newCategory.getByRole("button", { name: "Add the category" }).click();
    const table = page.getByRole("table", { name: "Categories" });
    await table.getByRole("cell", { name, exact: true }).waitFor();
    const created = (await categories()).find((c) => c.name === name);
    expect(created).toMatchObject({ version: 1 });

    await table.getByRole("button", { name: `Edit ${name}` }).click();
    const rename = page.getByRole("form", { name: `Rename ${name}` });
    await rename.getByLabel("Name").fill(`Lights ${tag}`);
    await rename.getByLabel("Slug").fill(`lights-${tag}`);
    // …and moved under another category.
    const apparel = (await categories()).find((c) => c.path === "apparel")!;
    await rename.getByLabel("Under").selectOption(apparel.id);
    await rename.getByRole("button", { name: "Save" }).click();
    await table.getByRole("cell", { name: `apparel/lights-${tag}`, exact: true }).waitFor();
    expect((await categories()).find((c) => c.id === created!.id)).toMatchObject({
      name: `Lights ${tag}`,
      slug: `lights-${tag}`,
      parentId: apparel.id,
      path: `apparel/lights-${tag}`,
      version: 2,
    });

    // Someone else renames it while the form is open: saving the stale form is refused, in plain words.
    await table.getByRole("button", { name: `Edit Lights ${tag}` }).click();
    await apiCall(base(), `/api/products/categories/${created!.id}`, {
      method: "PATCH",
      token: opsToken(),
      json: { name: `Lamps elsewhere ${tag}` },
      headers: { "if-match": '"v2"' },
    });
    const stale = page.getByRole("form", { name: `Rename Lights ${tag}` });
    await stale.getByLabel("Name").fill(`Mine ${tag}`);
    await stale.getByRole("button", { name: "Save" }).click();
    await page.getByText("Someone else changed this in the meantime").waitFor();
    expect((await categories()).find((c) => c.id === created!.id)?.name).toBe(`Lamps elsewhere ${tag}`);

    // The form stays open and the list is read again: placed among its siblings from the version now seen, it is saved.
    // (The form is named after the row, which now shows the other change's name.)
    const reread = page.getByRole("form", { name: `Rename Lamps elsewhere ${tag}` });
    expect(await reread.getByLabel("Name").inputValue()).toBe(`Mine ${tag}`);
    await reread.getByLabel("Position").fill("7");
    await reread.getByRole("button", { name: "Save" }).click();
    await reread.waitFor({ state: "detached" });
    expect((await categories()).find((c) => c.id === created!.id)).toMatchObject({ name: `Mine ${tag}`, position: 7, version: 4 });
    // The table shows apparel's subcategories in their position order (then by name).
    const siblings = (await categories())
      .filter((c) => c.parentId === apparel.id)
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
      .map((c) => c.path);
    await table
      .getByRole("row")
      .filter({ hasText: `Mine ${tag}` })
      .getByRole("cell", { name: "7", exact: true })
      .waitFor();
    const shown = (await table.locator("tbody tr td:nth-child(2)").allTextContents()).filter((p) => siblings.includes(p));
    expect(shown).toEqual(siblings);

    const brand = `Brand ${tag}`;
    const newBrand = page.getByRole("form", { name: "New brand" });
    await newBrand.getByLabel("New brand").fill(brand);
    await newBrand.getByRole("button", { name: "Add the brand" }).click();
    const brandTable = page.getByRole("table", { name: "Brands" });
    await brandTable.getByRole("cell", { name: brand, exact: true }).waitFor();
    expect((await brands()).some((b) => b.name === brand)).toBe(true);
    await brandTable.getByRole("button", { name: `Delete ${brand}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete the brand" }).click();
    await expect.poll(() => brandTable.getByRole("cell", { name: brand, exact: true }).count(), { timeout: 15_000 }).toBe(0);
    expect((await brands()).some((b) => b.name === brand)).toBe(false);
    await page.close();
  });
});
