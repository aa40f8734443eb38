import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Alert, downMsUntil, failureSeen, initialWatch, probeAnswered, type WatchState } from "./watch-rules.ts";

describe("outage watch rules", () => {
  it("raises one alert for many failures, and one recovery after enough answered probes", () => {
    let state = initialWatch;
    const alerts: Alert[] = [];
    const step = (r: { state: WatchState; alert: Alert | null }) => {
      state = r.state;
      if (r.alert) alerts.push(r.alert);
    };
    for (let t = 1_000; t < 1_010; t++) step(failureSeen(state, "database", t, "connection refused"));
    step(probeAnswered(state, "database", 5_000, 2));
    step(failureSeen(state, "database", 6_000, "flap"));
    step(probeAnswered(state, "database", 7_000, 2));
    expect(alerts).toHaveLength(1);
    step(probeAnswered(state, "database", 8_000, 2));
    expect(alerts.map((a) => a.kind)).toEqual(["outage", "recovered"]);
    expect(alerts[0]!.id).toBe("database-outage-1000");
    expect(alerts[1]).toMatchObject({ id: "database-outage-1000-recovered", durationSeconds: 7 });
    expect(state).toMatchObject({ status: "up", outages: 1, downMsTotal: 7_000 });
    step(failureSeen(state, "database", 20_000, "again"));
    expect(alerts).toHaveLength(3);
    expect(downMsUntil(state, 21_000)).toBe(8_000);
  });

  it("raises alerts in outage/recovered pairs, whatever the sequence of failures and probes", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 100 }), (events) => {
        let state = initialWatch;
        const kinds: string[] = [];
        events.forEach((failed, i) => {
          const r = failed ? failureSeen(state, "db", i * 10, "x") : probeAnswered(state, "db", i * 10, 2);
          state = r.state;
          if (r.alert) kinds.push(r.alert.kind);
        });
        for (const [i, k] of kinds.entries()) expect(k).toBe(i % 2 === 0 ? "outage" : "recovered");
        expect(state.outages).toBe(Math.ceil(kinds.length / 2));
      }),
    );
  });
});
