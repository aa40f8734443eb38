/** Backups: an admin takes a backup and sees the set with its size; the operations log filters by kind in the URL; others are told it is for admins. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { newAccount } from "./shop.ts";

const browser = sharedBrowser();

describe("backups", () => {
  it("takes a backup now and lists its set as complete with its size", { timeout: 240_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/backups");
    await page.getByRole("button", { name: "Back up now" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start the backup" }).click();
    const notice = page.getByText(/^Backup .*: (succeeded|failed|skipped)$/);
    await notice.waitFor({ timeout: 180_000 });
    expect(await notice.textContent()).toMatch(/succeeded$/);
    const sets = page.getByRole("table", { name: "Backup sets" });
    await sets.getByText("complete", { exact: true }).first().waitFor();
    expect(await sets.getByRole("cell", { name: /\d (B|KiB|MiB|GiB)$/ }).count()).toBeGreaterThan(0);
    await page.getByLabel("Kind").selectOption("drill");
    expect(page.url()).toContain("kind=drill");
    await page.close();
  });

  it("tells a member of support that backups are for admins", async () => {
    const support = await newAccount(base(), opsToken(), "support");
    const { page } = await newPage(browser());
    await signIn(page, support.email, support.password, "/admin/backups");
    await page.getByText("Backups and restores are for admins.").waitFor();
    const res = await fetch(`${base()}/api/backups`, { headers: { authorization: `Bearer ${support.token}` } });
    expect(res.status).toBe(403);
    await page.close();
  });
});
