/** GET /api/delivery/returns?orderId=: an order's returns for staff and their owner, nothing for anyone else. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import type { ReturnView } from "./return-queries.ts";
import { advance, makeShipment } from "./test-fixtures.ts";

const list = async (orderId: string, token?: string) => {
  const res = await api(`/api/delivery/returns?orderId=${orderId}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: ReturnView[] }).items;
};

describe("an order's returns", () => {
  it("lists them oldest first to the owner and staff, and none to another customer", async () => {
    const [owner, other, support] = await Promise.all([
      registerAndLogin("customer"),
      registerAndLogin("customer"),
      registerAndLogin("support"),
    ]);
    const shipment = await makeShipment(owner.userId);
    expect((await advance(shipment.id, "delivered")).status).toBe(200);
    const line = shipment.lines[0]!;
    const opened: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api("/api/delivery/returns", {
        method: "POST",
        token: owner.accessToken,
        json: { orderId: shipment.orderId, reason: "damaged", lines: [{ sku: line.sku, quantity: 1 }] },
      });
      expect(res.status).toBe(201);
      opened.push(((await res.json()) as ReturnView).id);
    }
    expect((await list(shipment.orderId, owner.accessToken)).map((r) => r.id)).toEqual(opened);
    expect((await list(shipment.orderId, support.accessToken)).map((r) => r.id)).toEqual(opened);
    expect(await list(shipment.orderId, other.accessToken)).toEqual([]);
    expect(await list(newId("ord"))).toEqual([]);
  });

  it("needs a caller and a valid order id", async () => {
    expect((await api(`/api/delivery/returns?orderId=${newId("ord")}`, { token: null })).status).toBe(401);
    for (const bad of ["", "orderId=", `orderId=${"x".repeat(65)}`]) {
      expect((await api(`/api/delivery/returns?${bad}`)).status, bad).toBe(422);
    }
  });
});
