/** Finding a customer's order by their email and refunding part of it, with the refund on the payment afterwards. */
import { describe, expect, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, placeConfirmedOrders } from "./shop.ts";

const browser = sharedBrowser();

describe("orders", () => {
  it("finds an order by the customer's email, opens it and refunds part of it after confirming", async () => {
    // Refunds are for admins (support sees orders and payments, but may not move money).
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds, customer } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/orders");
    await page.getByLabel("Customer email or order id").fill(customer.email);
    await page.getByRole("button", { name: "Search" }).click();
    expect(page.url()).toContain(`email=${encodeURIComponent(customer.email)}`);
    const order = await apiCall<{ number: string; payment: { id: string } }>(base(), `/api/orders/${orderId}`, { token: opsToken() });
    await page.getByRole("link", { name: order.number }).click();
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/Amount/).fill("1.00");
    await dialog.getByRole("button", { name: "Issue refund" }).click();
    await page.getByText("Refund issued.").waitFor();
    await page.getByRole("list", { name: "Refunds" }).getByText("$1.00").waitFor();
    const payment = await apiCall<{ refundedMinor: number; refunds: { amountMinor: number }[] }>(
      base(),
      `/api/payments/${order.payment.id}`,
      {
        token: opsToken(),
      },
    );
    expect(payment.refundedMinor).toBe(100);
    expect(payment.refunds.map((r) => r.amountMinor)).toEqual([100]);
    await page.close();
  });
});
