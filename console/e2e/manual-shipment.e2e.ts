/**
 * A shipment created by hand from the order page: a confirmed order that has
 * no shipment (its delivery step's shipment is gone, as when the step failed
 * or the merchant ships by hand) offers "Create shipment" to an admin; after
 * the confirmation the order shows the shipment, the delivery API holds it
 * with the order's lines, and the audit trail names the admin.
 */
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount, placeConfirmedOrders } from "./shop.ts";

const browser = sharedBrowser();

/** The order's shipment removed from the database: a confirmed order with none. */
async function dropShipment(orderId: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    await client.query("delete from delivery.shipments where order_id = $1", [orderId]);
  } finally {
    await client.end();
  }
}

interface Shipment {
  id: string;
  status: string;
  trackingNumber: string;
  lines: { sku: string; quantity: number }[];
}

describe("a shipment created by hand", () => {
  it("creates the shipment of a confirmed order that has none, after confirming, and shows it on the order", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const { orderIds } = await placeConfirmedOrders(base(), 1);
    const orderId = orderIds[0]!;
    const order = await apiCall<{ number: string; status: string; lines: { sku: string; quantity: number }[] }>(
      base(),
      `/api/orders/${orderId}`,
      { token: opsToken() },
    );
    expect(order.status).toBe("confirmed");
    await dropShipment(orderId);
    const shipmentsOf = () =>
      apiCall<{ items: Shipment[] }>(base(), `/api/delivery/shipments?orderId=${orderId}`, { token: opsToken() }).then((p) => p.items);
    expect(await shipmentsOf()).toEqual([]);

    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, `/admin/orders/${orderId}`);
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    await page.getByText("No shipment yet.").waitFor();
    // The dialog first: cancelling it creates nothing.
    await page.getByRole("button", { name: "Create shipment" }).click();
    const dialog = page.getByRole("dialog", { name: `Create a shipment for order ${order.number}?` });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await shipmentsOf()).toEqual([]);
    await page.getByRole("button", { name: "Create shipment" }).click();
    await dialog.getByRole("button", { name: "Create shipment" }).click();
    await page.getByText(/^Shipment \S+ created\.$/).waitFor();

    const [shipment, ...more] = await shipmentsOf();
    expect(more).toEqual([]);
    expect(shipment!.status).toBe("label_created");
    expect(shipment!.lines.map((l) => [l.sku, l.quantity])).toEqual(order.lines.map((l) => [l.sku, l.quantity]));
    // The order page shows it, ready to be handed to the carrier, and offers no second one.
    const shown = page.getByRole("region", { name: `Shipment ${shipment!.trackingNumber}` });
    await shown.locator(".badge", { hasText: "label created" }).waitFor();
    await shown.getByRole("button", { name: "Mark as dispatched" }).waitFor();
    expect(await page.getByRole("button", { name: "Create shipment" }).count()).toBe(0);

    // The trail names the admin, with the route.
    for (let tries = 0; ; tries++) {
      const trail = await apiCall<{ items: { subjectId: string; payload: { route: string; status: number } }[] }>(
        base(),
        `/api/audit/entries?actorId=${admin.id}&type=StaffActionTaken`,
        { token: opsToken() },
      );
      const entry = trail.items.find((e) => e.payload.route === "/api/delivery/shipments");
      if (entry) {
        expect(entry).toMatchObject({ subjectId: shipment!.id, payload: { status: 201 } });
        break;
      }
      if (tries > 60) throw new Error("no audit entry for the shipment created by hand");
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.close();
  });
});
