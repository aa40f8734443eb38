/**
 * The mail channel's circuit: chains that no provider could take open it,
 * and then a message is not offered to any provider but comes back as a
 * transient failure, so dispatch leaves it queued for the queue's retry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { eventually } from "../../test/helpers/http.ts";
import { breakerPolicy } from "../platform/resilience/config.ts";
import { ChannelFailed, guardedChannel } from "./channel-guard.ts";
import { ProviderError } from "./providers/types.ts";

const mailCircuit = () => testEnv.objects.get<CircuitBreaker>("CIRCUIT_BREAKER", "mail");

beforeAll(() => mailCircuit().reset(), 60_000);
afterAll(async () => {
  await mailCircuit().reset();
  await new Promise((r) => setTimeout(r, 1100));
});

describe("a channel behind its circuit", () => {
  it("counts transient chain failures (not permanent ones, nor test fault points), then keeps messages queued without sending", async () => {
    await withTestDb(async (db) => {
      const injected = new ProviderError("InjectedFault: injected fault at notifications:capture", { permanent: false });
      // Permanent refusals and injected per-message faults say nothing about the provider.
      for (let i = 0; i < 6; i++) {
        expect(
          await guardedChannel(testEnv, db, "email", async () => {
            throw new ChannelFailed(new ProviderError("invalid address", { permanent: true }), false);
          }),
        ).toMatchObject({ info: { permanent: true } });
        await guardedChannel(testEnv, db, "email", async () => {
          throw new ChannelFailed(injected, true);
        });
      }
      // Their outcomes reach the object in the background: it stays closed.
      await new Promise((r) => setTimeout(r, 300));
      expect(await mailCircuit().view(breakerPolicy(testEnv))).toMatchObject({ state: "closed" });
      let sends = 0;
      const down = async () => {
        sends += 1;
        throw new ChannelFailed(new ProviderError("sendgrid: 503", { permanent: false }), false);
      };
      expect(await guardedChannel(testEnv, db, "email", async () => {})).toBeNull();
      const refused = await eventually(async () => {
        const failure = await guardedChannel(testEnv, db, "email", down);
        return failure && /circuit of mail is open/.test(failure.message) ? failure : undefined;
      }, 10_000);
      expect(refused.info.permanent).toBe(false);
      expect(sends).toBeGreaterThanOrEqual(5);
      const before = sends;
      expect((await guardedChannel(testEnv, db, "email", down))?.message).toMatch(/circuit of mail is open/);
      expect(sends).toBe(before);
      // Other channels have circuits of their own.
      expect(await guardedChannel(testEnv, db, "sms", async () => {})).toBeNull();
    });
  });
});
