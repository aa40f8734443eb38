/**
 * A/B experiments end to end: an admin starts one, shoppers get their arm's
 * list (the same arm every time), clicks and purchases of shown products are
 * credited to the arm once, and the figures are for admins and analysts.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { assignArm } from "./assignment.ts";
import { catalogue, deliver, list, order, randomWord, viewed } from "./test-fixtures.ts";

const ARMS = [
  { name: "personal", algorithm: "personal", weight: 1 },
  { name: "trending", algorithm: "trending", weight: 1 },
] as const;

/** Each test its own placement, so other tests' feeds are not in the experiment. */
async function start(admin: TestUser, placement: string): Promise<string> {
  const res = await api("/api/recommendations/experiments", {
    method: "POST",
    token: admin.accessToken,
    json: { name: `feed test ${randomWord()}`, placement, arms: ARMS, conversionWindowHours: 48 },
  });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

describe("experiments", () => {
  it("serves each shopper their arm, records exposures, clicks and conversions once, and reports them per arm", async () => {
    const [admin, analyst, customer] = await Promise.all([registerAndLogin("admin"), registerAndLogin("analyst"), registerAndLogin()]);
    const [kettle] = await catalogue([{ name: "Kettle", category: `tea-${randomWord()}/kettles` }]);
    await deliver([viewed(kettle!, null), viewed(kettle!, null)]);
    const placement = `home-${randomWord()}`;
    const experimentId = await start(admin, placement);
    const other = await list(`/${customer.userId}`, customer.accessToken);
    expect(other.experiment).toBeNull(); // the default placement has no experiment

    // Shoppers until both arms have one; each keeps its arm on every call.
    const shoppers = await Promise.all([...Array(6)].map(() => registerAndLogin()));
    const seen = new Map<string, { user: TestUser; exposureId: string; productIds: string[] }>();
    for (const s of shoppers) {
      const feed = await list(`/${s.userId}?placement=${placement}`, s.accessToken);
      expect(feed.experiment?.id).toBe(experimentId);
      expect(feed.experiment?.arm).toBe(assignArm(experimentId, s.userId, ARMS).name);
      expect(feed.algorithm).toBe(feed.experiment?.arm);
      seen.set(feed.experiment!.arm, { user: s, exposureId: feed.experiment!.exposureId, productIds: feed.items.map((i) => i.productId) });
    }
    expect(seen.size, "six shoppers should land in both arms").toBe(2);

    const trending = seen.get("trending")!;
    expect(trending.productIds.length).toBeGreaterThan(0);
    const shown = trending.productIds[0]!;
    const click = (user: TestUser, exposureId: string, productId: string) =>
      api("/api/recommendations/clicks", { method: "POST", token: user.accessToken, json: { exposureId, productId } });
    expect((await click(trending.user, trending.exposureId, shown)).status).toBe(204);
    expect((await click(trending.user, trending.exposureId, shown)).status).toBe(204); // counted once
    expect((await click(customer, trending.exposureId, shown)).status).toBe(404); // not their exposure
    expect(
      (await click(trending.user, trending.exposureId, kettle!.productId === shown ? "prd_00000000000000000000000000" : kettle!.productId))
        .status,
    ).toBe(404);
    expect((await click(trending.user, trending.exposureId, "nope")).status).toBe(422);
    expect(
      (
        await api("/api/recommendations/clicks", {
          method: "POST",
          token: null,
          json: { exposureId: trending.exposureId, productId: shown },
        })
      ).status,
    ).toBe(401);

    // The shopper buys the shown product: one conversion, however often the confirmation is delivered.
    const bought = order(trending.user.userId, [{ ...kettle!, productId: shown }]);
    await deliver([bought.created]);
    await Promise.all([deliver([bought.confirmed, bought.confirmed]), deliver([bought.confirmed])]);

    const report = await api(`/api/recommendations/experiments/${experimentId}`, { token: analyst.accessToken });
    expect(report.status).toBe(200);
    const body = (await report.json()) as {
      arms: { arm: string; exposures: number; clicks: number; conversions: number; clickThroughRate: number; conversionRate: number }[];
    };
    const arm = body.arms.find((a) => a.arm === "trending")!;
    expect(arm).toMatchObject({ clicks: 1, conversions: 1 });
    expect(arm.clickThroughRate).toBeCloseTo(1 / arm.exposures);
    expect(arm.conversionRate).toBeCloseTo(1 / arm.exposures);
    expect(body.arms.find((a) => a.arm === "personal")).toMatchObject({ clicks: 0, conversions: 0 });

    expect((await api(`/api/recommendations/experiments/${experimentId}`, { token: customer.accessToken })).status).toBe(403);
    expect((await api(`/api/recommendations/experiments/${experimentId}`, { token: null })).status).toBe(401);
    expect((await api("/api/recommendations/experiments/rxp_00000000000000000000000000", { token: admin.accessToken })).status).toBe(404);
  });

  it("lets only admins start one, and refuses malformed arms", async () => {
    const [admin, analyst] = await Promise.all([registerAndLogin("admin"), registerAndLogin("analyst")]);
    const post = (token: string | null, json: unknown) => api("/api/recommendations/experiments", { method: "POST", token, json });
    expect((await post(analyst.accessToken, { name: "x", arms: ARMS })).status).toBe(403);
    expect((await post(null, { name: "x", arms: ARMS })).status).toBe(401);
    for (const bad of [
      { name: "x", arms: [ARMS[0]] },
      { name: "x", arms: [ARMS[0], ARMS[0]] },
      { name: "x", arms: [ARMS[0], { ...ARMS[1], weight: 1e300 }] },
      { name: "x\u0000", arms: ARMS },
      { name: "x", arms: ARMS, extra: true },
      { name: "x", arms: [ARMS[0], { ...ARMS[1], algorithm: "similar" }] },
    ])
      expect((await post(admin.accessToken, bad)).status, JSON.stringify(bad)).toBe(422);
  });
});
