/**
 * The payment provider's circuit over HTTP: injected provider failures open
 * it, checkout then answers 503 PAYMENT_PROVIDER_CIRCUIT_OPEN with
 * Retry-After and charges nothing, another isolate sees it open through the
 * shared object, health and metrics report it, and once the provider
 * recovers the cool-down's probe closes it and the same order pays once.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
import { confirm, netCharged, order, quiesce, shopper, stocked } from "../../test/checkout/fixtures.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import type { OrderView } from "../orders/index.ts";
import { newId } from "../platform/ids.ts";
import { faultPointOf } from "../platform/resilience/dependency-faults.ts";
import { CircuitCache, CircuitOpen, peekCircuit } from "../platform/resilience/shared-circuit.ts";
import { sandboxReplays } from "./test-support.ts";

const POINT = faultPointOf("payments");
const circuit = () => testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", "payments");

const authorizeOnce = () =>
  api("/api/payments/authorize", {
    method: "POST",
    headers: { "idempotency-key": newId("k") },
    json: {
      orderId: newId("ord"),
      orderNumber: "EC-2026-000901",
      userId: newId("usr"),
      amountMinor: 1200,
      currency: "EUR",
      paymentMethodId: "pm_card_visa",
    },
  });

const paymentRows = (orderId: string) =>
  withTestDb(async (db) => (await db.execute<{ id: string }>(sql`select id from payments.payments where order_id = ${orderId}`)).rows);

async function pendingOrder() {
  const user = await shopper();
  const {
    skus: [sku],
  } = await stocked([2500], 10);
  return { user, o: await order(user.accessToken, [{ sku: sku!, quantity: 1 }]) };
}

beforeAll(async () => {
  await clearFault(POINT, "fail");
  await circuit().reset();
});

afterAll(async () => {
  await clearFault(POINT, "fail");
  await clearFault(POINT, "drop");
  await circuit().reset();
  // Every isolate's copy of the open state expires within CIRCUIT_CACHE_MS.
  await new Promise((r) => setTimeout(r, 1100));
  await quiesce();
}, 30_000);

describe("the payment provider's circuit", () => {
  it("retries a lost answer under the same idempotency key: one authorisation at the provider, one charge", async () => {
    const { user, o } = await pendingOrder();
    await injectFault(POINT, "drop", 1);
    const res = await confirm(user.accessToken, o.id);
    expect(res.status).toBe(200);
    const confirmed = (await res.json()) as OrderView;
    const rows = await paymentRows(o.id);
    expect(rows).toHaveLength(1);
    // The provider saw the key twice (the answer lost, then the retry) and returned its first answer.
    expect(await sandboxReplays(`${rows[0]!.id}:authorize`)).toBe(1);
    expect(await netCharged(o.id)).toBe(confirmed.totals.totalMinor);
  });

  it("opens under injected failures; checkout answers 503 with Retry-After and charges nothing; it closes once the provider recovers", async () => {
    // The order is placed while the provider is healthy; the confirm comes while its circuit is open.
    const { user, o } = await pendingOrder();
    await injectFault(POINT, "fail", null);
    const failures: string[] = [];
    const refusal = await eventually(async () => {
      const res = await authorizeOnce();
      const body = (await res.json()) as { code: string };
      expect(res.status).toBe(503);
      if (body.code === "PAYMENT_PROVIDER_CIRCUIT_OPEN") return res;
      failures.push(body.code);
      return undefined;
    }, 10_000);
    // Five unknown outcomes in a row (each tried three times with the same key) opened it.
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(new Set(failures)).toEqual(new Set(["PAYMENT_PROVIDER_UNAVAILABLE"]));
    expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    const refused = await confirm(user.accessToken, o.id);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: "PAYMENT_PROVIDER_CIRCUIT_OPEN", retryAfterSeconds: expect.any(Number) });
    expect(await paymentRows(o.id)).toHaveLength(0);

    // Another isolate, with no copy of its own, learns the state from the shared object.
    expect(await peekCircuit(testEnv, "payments", new CircuitCache())).toBeInstanceOf(CircuitOpen);
    expect(
      await circuit().view({
        failureThreshold: 5,
        failureRatio: 0.5,
        minCalls: 20,
        windowMs: 60_000,
        coolDownMs: 60_000,
        probeLeaseMs: 60_000,
      }),
    ).toMatchObject({
      state: "open",
    });

    const health = await api("/api/health", { token: null });
    const report = (await health.json()) as { status: string; checks: { circuits: { status: string; circuits: Record<string, string> } } };
    expect(report.checks.circuits).toMatchObject({ status: "degraded", circuits: { payments: "open", carrier: "closed" } });
    expect(report.status).toBe("degraded");
    const metrics = await (await api("/api/metrics")).text();
    expect(metrics).toContain('edge_commerce_circuit_state{dependency="payments"} 2');
    expect(metrics).toMatch(
      /edge_commerce_dependency_calls_total\{dependency="payments",operation="authorize",outcome="circuit_open"\} [1-9]/,
    );

    // The provider recovers; after the cool-down the probe succeeds and the same order pays, once.
    await clearFault(POINT, "fail");
    const paid = await eventually(async () => {
      const res = await confirm(user.accessToken, o.id);
      if (res.status === 200) return (await res.json()) as OrderView;
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 250));
      return undefined;
    }, 10_000);
    expect(paid.status).toBe("confirmed");
    expect(await paymentRows(o.id)).toHaveLength(1);
    expect(await netCharged(o.id)).toBe(paid.totals.totalMinor);
    const after = await (await api("/api/metrics")).text();
    expect(after).toContain('edge_commerce_circuit_state{dependency="payments"} 0');
  });
});
