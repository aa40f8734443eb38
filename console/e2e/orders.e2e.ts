/**
 * Finding a customer's order by their email or its number, refunding part of
 * it, dispatching its shipment, receiving and accepting a return (or
 * rejecting one: no unit accepted), and sending its mail again.
 */
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

  it("receives a customer's return and accepts it, which refunds what came back", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds, customer } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const order = await apiCall<{ number: string; totals: { itemCount: number }; lines: { sku: string; quantity: number }[] }>(
      base(),
      `/api/orders/${orderId}`,
      { token: opsToken() },
    );
    const shipments = await apiCall<{ items: { id: string }[] }>(base(), `/api/delivery/shipments?orderId=${orderId}`, {
      token: opsToken(),
    });
    for (const status of ["dispatched", "delivered"])
      await apiCall(base(), `/api/delivery/shipments/${shipments.items[0]!.id}/status`, {
        method: "POST",
        token: opsToken(),
        json: { status },
      });
    const line = order.lines[0]!;
    const opened = await apiCall<{ rmaNumber: string }>(base(), "/api/delivery/returns", {
      method: "POST",
      token: customer.token,
      json: { orderId, reason: "damaged", lines: [{ sku: line.sku, quantity: 1 }] },
    });
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/orders/${orderId}`);
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByRole("button", { name: `Mark ${opened.rmaNumber} received` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Mark received" }).click();
    await page.getByText(`Return ${opened.rmaNumber} received.`).waitFor();
    await page.getByRole("button", { name: `Inspect ${opened.rmaNumber}` }).click();
    // Every unit that came back is offered as accepted.
    expect(await page.getByRole("dialog").getByLabel(`Units of ${line.sku} accepted (of 1)`).inputValue()).toBe("1");
    await page.getByRole("dialog").getByRole("button", { name: "Accept and refund" }).click();
    await page.getByText(`Return ${opened.rmaNumber} accepted and refunded.`).waitFor();
    const returns = await apiCall<{ items: { status: string; refundMinor: number }[] }>(
      base(),
      `/api/delivery/returns?orderId=${orderId}`,
      {
        token: opsToken(),
      },
    );
    expect(returns.items).toEqual([expect.objectContaining({ status: "refunded", refundMinor: expect.any(Number) })]);
    expect(returns.items[0]!.refundMinor).toBeGreaterThan(0);
    await page.close();
  });

  it("inspects a return and accepts none of it, which rejects it without a refund", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds, customer } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const order = await apiCall<{ number: string; totals: { itemCount: number }; lines: { sku: string; quantity: number }[] }>(
      base(),
      `/api/orders/${orderId}`,
      { token: opsToken() },
    );
    const shipments = await apiCall<{ items: { id: string }[] }>(base(), `/api/delivery/shipments?orderId=${orderId}`, {
      token: opsToken(),
    });
    for (const status of ["dispatched", "delivered"])
      await apiCall(base(), `/api/delivery/shipments/${shipments.items[0]!.id}/status`, {
        method: "POST",
        token: opsToken(),
        json: { status },
      });
    const line = order.lines[0]!;
    const opened = await apiCall<{ rmaNumber: string }>(base(), "/api/delivery/returns", {
      method: "POST",
      token: customer.token,
      json: { orderId, reason: "damaged", lines: [{ sku: line.sku, quantity: 1 }] },
    });
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/orders/${orderId}`);
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByRole("button", { name: `Mark ${opened.rmaNumber} received` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Mark received" }).click();
    await page.getByText(`Return ${opened.rmaNumber} received.`).waitFor();
    await page.getByRole("button", { name: `Inspect ${opened.rmaNumber}` }).click();
    await page.getByRole("dialog").getByLabel(`Units of ${line.sku} accepted (of 1)`).fill("0");
    await page.getByRole("dialog").getByRole("button", { name: "Accept and refund" }).click();
    await page.getByText(`Return ${opened.rmaNumber} rejected: nothing accepted, nothing refunded.`).waitFor();
    const returns = await apiCall<{ items: { status: string; refundMinor: number }[] }>(
      base(),
      `/api/delivery/returns?orderId=${orderId}`,
      {
        token: opsToken(),
      },
    );
    expect(returns.items).toEqual([expect.objectContaining({ status: "rejected", refundMinor: 0 })]);
    await page.close();
  });

  it("sends an order's confirmation mail again after confirming, recorded as a staff send", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const order = await apiCall<{ number: string; userId: string }>(base(), `/api/orders/${orderId}`, { token: opsToken() });
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/orders/${orderId}`);
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByRole("button", { name: "Resend mail" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send it again" }).click();
    await page.getByText("The mail was sent again.").waitFor();
    const mails = await apiCall<{ items: { template: string; sourceType: string }[] }>(
      base(),
      `/api/notifications?userId=${order.userId}&channel=email`,
      { token: opsToken() },
    );
    expect(mails.items.filter((m) => m.template === "order-confirmed" && m.sourceType === "AdminSend")).toHaveLength(1);
    await page.close();
  });
});
