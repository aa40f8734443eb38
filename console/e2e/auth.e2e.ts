/** Staff sign-in with MFA, the staff-only gate, an ended session returning to sign-in on the same URL, and the origin-only CSP. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { enableMfa, newAccount, totpCode } from "./shop.ts";

const browser = sharedBrowser();

describe("signing in", () => {
  it("asks an admin with MFA for the code, then opens the dashboard; the refresh token never reaches script", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const secret = await enableMfa(base(), admin);
    const { page, requested, errors } = await newPage(browser());
    await signIn(page, admin.email, admin.password);
    const code = page.getByLabel(/Authentication code/);
    await code.waitFor();
    // The code of the next 30-second step: the one just used to confirm enrolment cannot be used twice.
    await code.fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const cookies = await browser().browser.cookies();
    const refresh = cookies.find((c) => c.name === "ec_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/api/auth/refresh" });
    expect(await page.evaluate("document.cookie")).not.toContain("ec_refresh");
    // Nothing the console loaded came from outside the origin, and the CSP refused nothing.
    expect(requested.filter((u) => !u.startsWith(base()) && !u.startsWith("data:") && !u.startsWith("blob:"))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("tells a customer the console is not for them, and the API refuses the customer's token anyway", async () => {
    const customer = await newAccount(base(), opsToken(), "customer");
    const { page } = await newPage(browser());
    await signIn(page, customer.email, customer.password);
    await page.getByRole("heading", { name: "This console is for the shop's staff" }).waitFor();
    expect(await page.getByRole("link", { name: "Orders" }).count()).toBe(0);
    const res = await fetch(`${base()}/api/analytics/realtime?currency=USD`, { headers: { authorization: `Bearer ${customer.token}` } });
    expect(res.status).toBe(403);
    await page.close();
  });

  it("returns to sign-in on the same URL when the session has ended, and lands back on that view", async () => {
    const support = await newAccount(base(), opsToken(), "support");
    const { page } = await newPage(browser());
    await signIn(page, support.email, support.password, "/admin/orders?status=confirmed");
    await page.getByRole("heading", { name: "Orders" }).waitFor();
    // The session ends everywhere (as after a password change), then the page is opened again.
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
    expect(page.url()).toBe(`${base()}/admin/orders?status=confirmed`);
    await signIn(page, support.email, support.password);
    await page.getByRole("heading", { name: "Orders" }).waitFor();
    expect(await page.getByLabel("Status").inputValue()).toBe("confirmed");
    await page.close();
  });

  it("a reload keeps the session through the refresh cookie, and /admin carries a strict CSP", async () => {
    const analyst = await newAccount(base(), opsToken(), "analyst");
    const { page } = await newPage(browser());
    await signIn(page, analyst.email, analyst.password);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const response = await page.reload();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    await page.close();
  });
});
