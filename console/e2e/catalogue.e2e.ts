/**
 * Creating a product with a variant (and its compare-at price) and an image,
 * publishing it, seeing it on the public API, the If-Match conflict message,
 * and the compare-at price changed from a fresh read.
 */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount } from "./shop.ts";

const browser = sharedBrowser();

// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

describe("catalogue", () => {
  it("creates a product with a variant and an image, publishes it, and the public API shows it", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/products/new");
    await page.getByRole("heading", { name: "New product" }).waitFor();
    const sku = `E2E-${Date.now().toString(36).toUpperCase()}`;
    const name = `Console lamp ${sku}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("SKU").fill(sku);
    await page.getByLabel("Price", { exact: true }).fill("24.50");
    await page.getByLabel("Compare-at price").fill("29.99");
    await page.getByLabel(/Options/).fill("colour=white");
    await page.getByRole("button", { name: "Create product" }).click();
    await page.getByRole("heading", { name: `Edit ${name}` }).waitFor();
    const id = page.url().split("/").pop()!;
    await page.getByLabel("Image file").setInputFiles({ name: "lamp.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("img", { name: "Preview of the file to upload" }).waitFor();
    await page.getByLabel("Description of the image").fill("A white lamp");
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("img", { name: "A white lamp" }).waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Saved.").waitFor();
    const product = await apiCall<{
      status: string;
      variants: { sku: string; price: { unitPriceMinor: number; compareAtMinor: number | null } }[];
      images: { url: string }[];
    }>(base(), `/api/products/${id}`);
    expect(product.status).toBe("active");
    expect(product.variants).toEqual([
      expect.objectContaining({ sku, price: expect.objectContaining({ unitPriceMinor: 2450, compareAtMinor: 2999 }) }),
    ]);
    expect(product.images).toHaveLength(1);
    const image = await fetch(`${base()}${product.images[0]!.url}`);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    // Someone else changes the product meanwhile: saving the stale form is refused, in plain words.
    const current = await apiCall<{ version: number }>(base(), `/api/products/${id}`);
    await apiCall(base(), `/api/products/${id}`, {
      method: "PATCH",
      token: opsToken(),
      json: { name: `${name} (renamed)` },
      headers: { "if-match": `"v${current.version}"` },
    });
    await page.getByLabel("Name", { exact: true }).fill(`${name} (mine)`);
    await page.getByLabel("Compare-at price").fill("27.00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Someone else changed this in the meantime").waitFor();
    type Priced = { name: string; variants: { price: { compareAtMinor: number | null } }[] };
    const after = await apiCall<Priced>(base(), `/api/products/${id}`);
    expect(after.name).toBe(`${name} (renamed)`);
    expect(after.variants[0]!.price.compareAtMinor).toBe(2999);

    // From a fresh read the form shows the stored compare-at price; a lower one below the price is refused in the page, a new one saved.
    await page.reload();
    await page.getByRole("heading", { name: `Edit ${name} (renamed)` }).waitFor();
    expect(await page.getByLabel("Compare-at price").inputValue()).toBe("29.99");
    await page.getByLabel("Compare-at price").fill("20.00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("the compare-at price must be above the price").waitFor();
    await page.getByLabel("Compare-at price").fill("27.00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect((await apiCall<Priced>(base(), `/api/products/${id}`)).variants[0]!.price.compareAtMinor).toBe(2700);
    await page.close();
  });
});
