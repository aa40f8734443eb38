/**
 * The funnel's carts: abandoned carts (CartAbandoned) and the ones a
 * reminder's link brought back (CartRecovered), each counted once however
 * often its event arrives, in a week of their own.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CartAbandoned, CartRecovered } from "../../queues/contracts/events/cart.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { buildEvent } from "../platform/event-contracts.ts";
import { newId } from "../platform/ids.ts";
import { randomMonday } from "./history-test-fixtures.ts";
import { deliver, settle } from "./test-fixtures.ts";

// Background work the test set off finishes before the environment goes.
afterAll(() => settle());

describe("funnel carts", () => {
  it("counts abandoned and recovered carts of the period, each once", async () => {
    const monday = randomMonday(1961, 1969);
    const at = (hours: number) => new Date(monday.getTime() + hours * 3600_000);
    const carts = [newId("crt"), newId("crt")];
    const userId = newId("usr");
    const abandoned = carts.map((cartId, i) =>
      buildEvent(CartAbandoned, {
        subjectId: cartId,
        source: "test",
        correlationId: newId("req"),
        occurredAt: at(10 + i),
        payload: {
          cartId,
          userId,
          lines: [{ sku: "MUG-1", quantity: 2, unitPriceMinor: 1250, currency: "EUR" }],
          itemCount: 2,
          lastActivityAt: at(i).toISOString(),
          idleSeconds: 36_000,
        },
      }),
    );
    const recovered = buildEvent(CartRecovered, {
      subjectId: "crt_next",
      source: "test",
      correlationId: newId("req"),
      occurredAt: at(30),
      payload: { cartId: newId("crt"), abandonedCartId: carts[0]!, userId, itemCount: 2 },
    });
    expect(await deliver([...abandoned, recovered, recovered])).toBe(0);

    const analyst = (await registerAndLogin("analyst")).accessToken;
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const res = await api(`/api/analytics/funnel?from=${day(monday)}&to=${day(at(6 * 24))}`, { token: analyst });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { carts: unknown }).carts).toEqual({ abandoned: 2, recovered: 1 });
  });
});
