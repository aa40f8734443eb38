/** Moderating the queue: a new customer's review waits, a moderator approves it in the console, and it is public. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, sellableSku } from "./shop.ts";

const browser = sharedBrowser();

describe("reviews", () => {
  it("approves a pending review from the moderation queue", async () => {
    const author = await newAccount(base(), opsToken(), "customer");
    const { productId } = await sellableSku(base(), 1);
    const title = `Honest opinion ${Date.now()}`;
    const review = await apiCall<{ id: string; status: string }>(base(), "/api/reviews", {
      token: author.token,
      json: { productId, rating: 4, title, body: "Solid, arrived quickly and works as described." },
    });
    expect(review.status).toBe("pending");
    const admin = await newAccount(base(), opsToken(), "admin");
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/reviews");
    await page.getByRole("checkbox", { name: `Select the review ${title}` }).check();
    await page.getByRole("button", { name: "Approve selected (1)" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByRole("checkbox", { name: `Select the review ${title}` }).count(), { timeout: 15_000 }).toBe(0);
    const after = await apiCall<{ status: string }>(base(), `/api/reviews/${review.id}`);
    expect(after.status).toBe("approved");
    await page.close();
  });
});
