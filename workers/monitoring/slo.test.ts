/**
 * SLOs: injected errors on a route class, flushed to the fleet's counts,
 * breach its availability SLO, which raises exactly one alert (a mail to the
 * ops address through the notifications family); evaluating again during the
 * breach sends nothing; good traffic past the short window recovers it with
 * exactly one recovery. Two isolates' flushes both count, and a repeated
 * flush counts once.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../db/schema/notifications.ts";
import { sloCounts, sloStates } from "../../db/schema/ops.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { FAMILIES } from "../families.ts";
import { createApp } from "../platform/app.ts";
import { jobRegistry } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { FAULT_HEADER, requestFault } from "./fault-header.ts";
import { fleetCounts, flushCounts, isolateSource, registryCounts, writeFlush } from "./slo-flush.ts";
import { CountLedger, indicatorKey } from "./slo-flush-rules.ts";
import { burnPolicy, evaluateSlos, sloEvaluation } from "./slo-job.ts";
import { SLOS, type Slo } from "./slo-table.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A start time in a far-future period of the test's own: the SLO counts are the whole suite's (every isolate flushes
 * into one table), and no other flush lands inside this test's windows.
 */
const ownPeriod = () => Date.now() + (1 + Math.floor(Math.random() * 1_000_000)) * 3 * HOUR;

/** An SLO of this test's own (the table's are evaluated by other runs too): browse availability at 99.9 %. */
function browseSlo(): Slo {
  return {
    name: `test-browse-availability-${crypto.randomUUID().slice(0, 8)}`,
    description: "99.9 % of browse requests answer without a server error (test)",
    indicator: { kind: "availability", routeClass: "browse" },
    objective: 0.999,
    minEvents: 10,
    degradesHealth: false,
  };
}

const opsMails = (alertIds: string[]) =>
  withTestDb((db) =>
    db
      .select()
      .from(deliveries)
      .where(inArray(deliveries.sourceId, alertIds.length ? alertIds : ["-"])),
  );

const evaluateAt = (at: number, slo: Slo) => withTestDb((db) => evaluateSlos(testEnv, db, at, [slo]));

/** This isolate's registry flushed at a simulated time, as its own source. */
const flushRegistryAt = (ledger: CountLedger, at: number, slo: Slo) =>
  withTestDb((db) => flushCounts(db, ledger, registryCounts([slo.indicator]), at));

/** A simulated isolate's cumulative counts of the SLO's indicator. */
const counted = (slo: Slo, good: number, total: number) => new Map([[indicatorKey(slo.indicator), { good, total }]]);

describe("SLO evaluation", () => {
  it("raises one alert for a breach, nothing while it lasts, and one recovery", async () => {
    const slo = browseSlo();
    const isolate = new CountLedger(`test-${crypto.randomUUID()}`);
    const t0 = ownPeriod();
    // Everything this isolate counted before the test goes out at a time outside every window.
    await flushRegistryAt(isolate, t0 - 3 * HOUR, slo);
    expect((await evaluateAt(t0, slo)).raised).toEqual([]);

    // 20 browse requests fail (a drill's injected fault): the error ratio is 100 %, a burn rate of 1000.
    for (let i = 0; i < 20; i++) {
      const res = await api("/api/products?limit=1", { headers: { [FAULT_HEADER]: "error" } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe("FAULT_INJECTED");
    }
    await flushRegistryAt(isolate, t0 + MINUTE, slo);
    const breach = await evaluateAt(t0 + MINUTE, slo);
    expect(breach.breached).toEqual([slo.name]);
    expect(breach.raised).toEqual([`slo-${slo.name}-${t0 + MINUTE}`]);
    expect(breach.delivered).toEqual(breach.raised);
    const mails = await opsMails(breach.raised);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: "email", status: "sent", subject: `SLO breached: ${slo.name}` });

    // Still inside the short window: breached, and nothing more is sent.
    const during = await evaluateAt(t0 + 2 * MINUTE, slo);
    expect(during).toMatchObject({ breached: [slo.name], raised: [], delivered: [] });
    expect(await opsMails(breach.raised)).toHaveLength(1);
    const [state] = await withTestDb((db) => db.select().from(sloStates).where(eq(sloStates.slo, slo.name)));
    expect(state).toMatchObject({ status: "breached", breaches: 1, pendingAlert: null });
    expect(state!.shortBurn).toBeGreaterThan(900);

    // Good traffic, evaluated after the short window has moved past the errors: one recovery.
    for (let i = 0; i < 12; i++) expect((await api("/api/products?limit=1")).status).toBe(200);
    await flushRegistryAt(isolate, t0 + 8 * MINUTE, slo);
    const recovery = await evaluateAt(t0 + 8 * MINUTE, slo);
    expect(recovery).toMatchObject({ breached: [], raised: [`slo-${slo.name}-${t0 + MINUTE}-recovered`] });
    const recovered = await opsMails(recovery.raised);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.subject).toBe(`SLO recovered: ${slo.name}`);
    expect((await evaluateAt(t0 + 9 * MINUTE, slo)).raised).toEqual([]);
    expect(await opsMails([...breach.raised, ...recovery.raised])).toHaveLength(2);
  });

  it("sums the flushes of two isolates, counts a repeated flush once, and clears the alert on the fleet's good traffic", async () => {
    // 15 events in the short window: neither isolate's 10 failures alone is enough, the fleet's 20 are.
    const slo = { ...browseSlo(), minEvents: 15 };
    const [a, b] = [new CountLedger(`test-a-${crypto.randomUUID()}`), new CountLedger(`test-b-${crypto.randomUUID()}`)];
    const t0 = ownPeriod();
    const key = indicatorKey(slo.indicator);
    const fleet = (at: number) => withTestDb((db) => fleetCounts(db, [key], at, burnPolicy(testEnv)));

    await withTestDb((db) => flushCounts(db, a, counted(slo, 0, 10), t0));
    expect((await evaluateAt(t0, slo)).breached).toEqual([]);
    await withTestDb((db) => flushCounts(db, b, counted(slo, 0, 10), t0));
    const breach = await evaluateAt(t0 + MINUTE, slo);
    expect(breach).toMatchObject({ breached: [slo.name], raised: [`slo-${slo.name}-${t0 + MINUTE}`] });
    expect((await fleet(t0 + MINUTE)).get(key)).toEqual({ long: { good: 0, total: 20 }, short: { good: 0, total: 20 } });

    // A's next flush reaches the database but its answer is lost; the retry sends the same batch, which adds nothing.
    const lost = a.next(counted(slo, 5, 15), t0 + 2 * MINUTE)!;
    await withTestDb((db) => writeFlush(db, lost));
    const resent = await withTestDb((db) => flushCounts(db, a, counted(slo, 9, 19), t0 + 3 * MINUTE));
    expect(resent).toBe(lost);
    expect((await fleet(t0 + 3 * MINUTE)).get(key)).toEqual({ long: { good: 5, total: 25 }, short: { good: 5, total: 25 } });
    // What A counted meanwhile goes with its next flush.
    expect(await withTestDb((db) => flushCounts(db, a, counted(slo, 9, 19), t0 + 4 * MINUTE))).toMatchObject({
      seq: 3,
      deltas: [{ indicator: key, good: 4, total: 4 }],
    });

    // Good traffic on both isolates once the short window has moved past the failures: one recovery.
    await withTestDb((db) => flushCounts(db, a, counted(slo, 39, 49), t0 + 8 * MINUTE));
    await withTestDb((db) => flushCounts(db, b, counted(slo, 30, 40), t0 + 8 * MINUTE));
    // The short window (t0+3 min, t0+8 min]: A's 4 and 30, B's 30, all good.
    expect((await fleet(t0 + 8 * MINUTE)).get(key)!.short).toEqual({ good: 64, total: 64 });
    const recovery = await evaluateAt(t0 + 8 * MINUTE, slo);
    expect(recovery).toMatchObject({ breached: [], raised: [`slo-${slo.name}-${t0 + MINUTE}-recovered`] });
    expect(await opsMails([...breach.raised, ...recovery.raised])).toHaveLength(2);
  });

  it("flushes this isolate's counts in the background after a request, at most once per SLO_FLUSH_SECONDS", async () => {
    const pending: Promise<unknown>[] = [];
    const rt: Runtime = Object.create(testEnv, {
      vars: { value: { ...testEnv.vars, SLO_FLUSH_SECONDS: "1" } },
      waitUntil: { value: (p: Promise<unknown>) => void pending.push(p) },
    });
    const app = createApp({ families: FAMILIES, relay: () => {}, jobs: jobRegistry([]) });
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} };
    const browse = async () => {
      const res = await app.fetch(new Request("https://api.test/api/products?limit=1"), rt, ctx as unknown as ExecutionContext);
      expect(res.status).toBe(200);
      while (pending.length) await Promise.all(pending.splice(0));
    };
    const lastFlush = () =>
      withTestDb(async (db) => {
        const rows = await db
          .select({ seq: sloCounts.seq, good: sloCounts.good })
          .from(sloCounts)
          .where(and(eq(sloCounts.source, isolateSource()), eq(sloCounts.indicator, "availability:browse")))
          .orderBy(desc(sloCounts.seq))
          .limit(1);
        return rows[0]?.seq ?? 0;
      });
    // Past any flush of this isolate's interval: the first request starts one.
    await new Promise((r) => setTimeout(r, 1100));
    await browse();
    const first = await lastFlush();
    expect(first).toBeGreaterThan(0);
    // Within the interval: counted in memory, not flushed.
    await browse();
    expect(await lastFlush()).toBe(first);
    await new Promise((r) => setTimeout(r, 1100));
    await browse();
    expect(await lastFlush()).toBeGreaterThan(first);
  });

  it("is the scheduled slo-evaluation job, which does nothing with SLO_EVALUATION=off (the test suite's setting)", async () => {
    const evaluated = await withTestDb(async (db) => sloEvaluation.run({ rt: testEnv, db, runId: "run_test" }));
    expect(evaluated).toEqual({ skipped: "SLO_EVALUATION=off" });
    expect(sloEvaluation.crons).toEqual(["* * * * *"]);
  });

  it("needs the short window's minimum of events before a breach", async () => {
    const slo = { ...browseSlo(), minEvents: 1000 };
    const isolate = new CountLedger(`test-${crypto.randomUUID()}`);
    const t0 = ownPeriod();
    await flushRegistryAt(isolate, t0 - 3 * HOUR, slo);
    await evaluateAt(t0, slo);
    for (let i = 0; i < 3; i++) expect((await api("/api/products?limit=1", { headers: { [FAULT_HEADER]: "error" } })).status).toBe(503);
    await flushRegistryAt(isolate, t0 + MINUTE, slo);
    expect((await evaluateAt(t0 + MINUTE, slo)).breached).toEqual([]);
  });
});

describe("GET /api/slos and health", () => {
  it("lists every declared SLO for staff, and refuses customers", async () => {
    const res = await api("/api/slos");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { windows: { longSeconds: number; shortSeconds: number }; slos: { name: string }[] };
    expect(body.windows).toMatchObject({ longSeconds: 3600, shortSeconds: 300 });
    expect(body.slos.map((s) => s.name)).toEqual(SLOS.map((s) => s.name));
    expect(body.slos.map((s) => s.name)).toEqual(
      expect.arrayContaining(["checkout-availability", "search-latency", "consumer-lag", "job-success", "backup-drill-success"]),
    );
    const customer = await registerAndLogin();
    expect((await api("/api/slos", { token: customer.accessToken })).status).toBe(403);
    expect((await api("/api/slos", { token: null })).status).toBe(401);
  });

  it("reports health degraded while the consumer-delivery SLO (dead letters growing) is breached, and scrapes its gauge", async () => {
    const now = new Date();
    const breached = { status: "breached" as const, since: now, evaluatedAt: now, breaches: 1 };
    await withTestDb((db) =>
      db
        .insert(sloStates)
        .values({ slo: "consumer-delivery", ...breached })
        .onConflictDoUpdate({ target: sloStates.slo, set: breached }),
    );
    try {
      const body = (await (await api("/api/health")).json()) as {
        status: string;
        checks: { slos: { status: string; breached: string[] } };
      };
      expect(body.checks.slos).toMatchObject({ status: "degraded", breached: ["consumer-delivery"] });
      expect(body.status).toBe("degraded");
      const scraped = await (await api("/api/metrics")).text();
      expect(scraped).toContain('edge_commerce_slo_breached{slo="consumer-delivery"} 1');
    } finally {
      await withTestDb((db) => db.update(sloStates).set({ status: "met" }).where(eq(sloStates.slo, "consumer-delivery")));
    }
    const after = (await (await api("/api/health")).json()) as { checks: { slos: { status: string } } };
    expect(after.checks.slos.status).toBe("ok");
  });
});

describe("X-Fault-Inject", () => {
  it("slows a route down for staff, and is ignored from a customer", async () => {
    const started = Date.now();
    expect((await api("/api/products?limit=1", { headers: { [FAULT_HEADER]: "slow:300" } })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const customer = await registerAndLogin();
    const res = await api("/api/products?limit=1", { token: customer.accessToken, headers: { [FAULT_HEADER]: "error" } });
    expect(res.status).toBe(200);
    expect((await api("/api/products?limit=1", { token: null, headers: { [FAULT_HEADER]: "error" } })).status).toBe(200);
  });

  it("is refused in production and inert with injection off", () => {
    const admin = { id: "ops", kind: "service" as const, roles: ["admin" as const] };
    const vars = (extra: Record<string, string>) => ({ vars: { ...testEnv.vars, ...extra } });
    expect(requestFault(vars({}), admin, "error")).toEqual({ kind: "error" });
    expect(requestFault(vars({}), admin, "slow:99999")).toBeNull();
    expect(() => requestFault(vars({ APP_ENV: "production", FAULT_INJECTION: "on" }), admin, "error")).toThrow(
      /FAULT_INJECTION: fault injection is refused in production/,
    );
    expect(requestFault(vars({ APP_ENV: "production", FAULT_INJECTION: "off" }), admin, "error")).toBeNull();
    expect(requestFault(vars({}), { id: "u1", kind: "user" as const, roles: ["customer" as const] }, "error")).toBeNull();
  });
});
