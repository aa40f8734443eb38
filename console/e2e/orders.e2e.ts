/** Finding a customer's order by their email or its number, refunding part of it, and dispatching its shipment. */
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
    await page.getByLabel("Customer email, order number or id").fill(customer.email);
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

  it("finds an order by its number in lower case, and dispatches its shipment after confirming", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const order = await apiCall<{ number: string }>(base(), `/api/orders/${orderId}`, { token: opsToken() });
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/orders");
    await page.getByLabel("Customer email, order number or id").fill(order.number.toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    expect(page.url()).toContain(`number=${encodeURIComponent(order.number.toLowerCase())}`);
    const rows = page.getByRole("table", { name: "Orders" }).locator("tbody tr");
    await page.getByRole("link", { name: order.number }).waitFor();
    expect(await rows.count()).toBe(1);
    await page.getByRole("link", { name: order.number }).click();
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByRole("button", { name: "Mark as dispatched" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Mark as dispatched" }).click();
    await page.getByText("Shipment marked as dispatched.").waitFor();
    const shipments = await apiCall<{ items: { status: string }[] }>(base(), `/api/delivery/shipments?orderId=${orderId}`, {
      token: opsToken(),
    });
    expect(shipments.items.map((s) => s.status)).toEqual(["dispatched"]);
    await page.close();
  });
});
