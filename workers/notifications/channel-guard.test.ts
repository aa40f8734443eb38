/**
 * Each mail provider behind its own circuit: transient failures of one
 * provider open its circuit and no other's; then a send to it is not made
 * but comes back as a transient failure at once, so the chain fails over to
 * the next provider, whose circuit still admits.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { InjectedFault } from "../platform/faults.ts";
import { breakerPolicy } from "../platform/resilience/config.ts";
import { guardedSend } from "./channel-guard.ts";
import { ProviderError } from "./providers/types.ts";

const run = crypto.randomUUID().slice(0, 8);
const PRIMARY = `primary-${run}`;
const SECONDARY = `secondary-${run}`;
const circuitOf = (provider: string) => testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", `mail:${provider}`);

afterAll(async () => {
  for (const p of [PRIMARY, SECONDARY]) await circuitOf(p).reset();
  await new Promise((r) => setTimeout(r, 1100));
});

const failWith = (err: Error) => async () => {
  throw err;
};

describe("a channel's providers behind their own circuits", () => {
  it("counts a provider's transient failures (not permanent ones, nor fault points), opens its circuit only, and refuses it at once", async () => {
    await withTestDb(async (db) => {
      const send = <T>(provider: string, fn: () => Promise<T>) => guardedSend(testEnv, db, "email", provider, fn);
      // Permanent refusals and injected per-message faults say nothing about the provider.
      for (let i = 0; i < 6; i++) {
        await expect(send(PRIMARY, failWith(new ProviderError("invalid address", { permanent: true })))).rejects.toMatchObject({
          info: { permanent: true },
        });
        await expect(send(PRIMARY, failWith(new InjectedFault("injected fault at notifications:capture")))).rejects.toBeInstanceOf(
          InjectedFault,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(await circuitOf(PRIMARY).view(breakerPolicy(testEnv))).toMatchObject({ state: "closed" });

      let sends = 0;
      const down = async () => {
        sends += 1;
        throw new ProviderError("sendgrid: 503", { permanent: false });
      };
      const refused = await eventually(async () => {
        const err = await send(PRIMARY, down).catch((e: unknown) => e);
        return err instanceof ProviderError && /circuit of mail \(primary-/.test(err.message) ? err : undefined;
      }, 10_000);
      expect(refused.info.permanent).toBe(false);
      expect(sends).toBeGreaterThanOrEqual(5);
      const before = sends;
      await expect(send(PRIMARY, down)).rejects.toThrow(/circuit of mail \(primary-.*\) is open/);
      expect(sends).toBe(before);

      // The next provider of the chain has a circuit of its own: it still takes the message.
      expect(await send(SECONDARY, async () => "taken")).toBe("taken");
      expect(await circuitOf(SECONDARY).view(breakerPolicy(testEnv))).toMatchObject({ state: "closed" });
      // The mail dependency lists both circuits, by provider.
      const metrics = await (await api("/api/metrics")).text();
      expect(metrics).toContain(`edge_commerce_circuit_state{dependency="mail",instance="${PRIMARY}"} 2`);
      expect(metrics).toContain(`edge_commerce_circuit_state{dependency="mail",instance="${SECONDARY}"} 0`);
    });
  });
});
