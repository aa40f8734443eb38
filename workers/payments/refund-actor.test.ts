/**
 * A refund asked for over the API is the requester's act: its RefundIssued
 * event, and the audit entry made from it, name the member of staff; a
 * refund the service makes by itself (checkout compensation) stays the service's.
 */
import { describe, expect, it } from "vitest";
import { api, eventually } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";

const post = (path: string, json: unknown, key: string, token?: string) =>
  api(`/api/payments${path}`, { method: "POST", json, token, headers: { "idempotency-key": key } });

async function capturedPayment(): Promise<string> {
  const authorised = await post(
    "/authorize",
    {
      orderId: newId("ord"),
      orderNumber: "EC-2026-000778",
      userId: newId("usr"),
      amountMinor: 3000,
      currency: "EUR",
      paymentMethodId: "pm_card_visa",
    },
    crypto.randomUUID(),
  );
  const { id } = (await authorised.json()) as { id: string };
  expect((await post("/capture", { paymentId: id }, crypto.randomUUID())).status).toBe(200);
  return id;
}

describe("who refunded", () => {
  it("names the admin who asked for the refund in the event and the audit trail", async () => {
    const admin = await registerAndLogin("admin");
    const paymentId = await capturedPayment();
    const res = await post("/refund", { paymentId, amountMinor: 500, reason: "goodwill" }, crypto.randomUUID(), admin.accessToken);
    expect(res.status).toBe(200);
    const [issued] = await outboxEvents(paymentId, "RefundIssued");
    expect(issued?.actor).toEqual({ type: "user", id: admin.userId });
    const entry = await eventually(
      async () => {
        const page = (await (await api(`/api/audit/entities/payment/${paymentId}`)).json()) as {
          items?: { type: string; actorType: string | null; actorId: string | null }[];
        };
        return page.items?.find((e) => e.type === "RefundIssued");
      },
      20_000,
      "the refund's audit entry",
    );
    expect(entry).toMatchObject({ actorType: "user", actorId: admin.userId });
  });

  it("leaves a refund refused by its amount without any event", async () => {
    const admin = await registerAndLogin("admin");
    const paymentId = await capturedPayment();
    const res = await post("/refund", { paymentId, amountMinor: 3001, reason: "goodwill" }, crypto.randomUUID(), admin.accessToken);
    expect(res.status).toBe(409);
    expect(await outboxEvents(paymentId, "RefundIssued")).toEqual([]);
  });
});
