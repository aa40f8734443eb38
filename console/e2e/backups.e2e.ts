/**
 * Backups: an admin takes a backup and sees the set with its size; the operations log filters by kind in the URL;
 * a set is validated, and restored (one schema) after the dry run and the typed confirmation; others are told it is for admins.
 */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount } from "./shop.ts";

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

  it("validates a set, then restores one schema after a dry run and typing the backup's id", { timeout: 240_000 }, async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const sets = async () =>
      (await apiCall<{ items: { id: string; complete: boolean }[] }>(base(), "/api/backups", { token: opsToken() })).items;
    let backupId = (await sets()).find((b) => b.complete)?.id;
    if (!backupId) backupId = (await apiCall<{ backupId: string }>(base(), "/api/backups", { method: "POST", token: opsToken() })).backupId;
    // A code made after the backup: restoring the promotions schema takes it away.
    const later = await apiCall<{ code: string }>(base(), "/api/promotions", {
      token: opsToken(),
      json: { code: `LATER${Date.now().toString(36).toUpperCase()}`, kind: "free_shipping" },
    });
    const codes = async () => (await apiCall<{ items: { code: string }[] }>(base(), "/api/promotions", { token: opsToken() })).items;
    expect((await codes()).some((c) => c.code === later.code)).toBe(true);

    const { page } = await newPage(browser());
    // The chosen set is in the URL.
    await signIn(page, admin.email, admin.password, `/admin/backups?backup=${backupId}`);
    await page.getByRole("button", { name: "Validate this backup" }).click();
    const report = page.getByText(/^The backup (is valid|has problems)\.$/);
    await report.waitFor({ timeout: 180_000 });
    expect(await report.textContent()).toBe("The backup is valid.");
    const validations = await apiCall<{ items: { kind: string; backupId: string }[] }>(base(), "/api/backups/operations?kind=validate", {
      token: opsToken(),
    });
    expect(validations.items.some((o) => o.backupId === backupId)).toBe(true);

    const plan = page.getByRole("form", { name: "Plan a restore" });
    await plan.getByLabel("Schemas to restore (empty: all)").fill("promotions");
    await plan.getByLabel("Also restore the Durable Objects' state").uncheck();
    await plan.getByRole("button", { name: "Dry run" }).click();
    const tables = page.getByRole("table", { name: "Tables the restore replaces" });
    await tables.getByRole("cell", { name: "promotions.codes" }).waitFor();
    expect(await tables.locator("tbody tr").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^promotions\./)]));
    const restore = page.getByRole("button", { name: "Restore now" });
    const confirm = page.getByRole("form", { name: "Confirm the restore" });
    await confirm.getByLabel("Type the backup's id to restore it").fill("not-the-id");
    expect(await restore.isDisabled()).toBe(true);
    expect((await codes()).some((c) => c.code === later.code)).toBe(true);
    await confirm.getByLabel("Type the backup's id to restore it").fill(backupId);
    await restore.click();
    await page.getByText(/^Restored \d+ tables/).waitFor({ timeout: 120_000 });
    expect((await codes()).some((c) => c.code === later.code)).toBe(false);
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
