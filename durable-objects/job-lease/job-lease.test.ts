import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import type { JobLease } from "./job-lease.ts";

const lease = (name: string) => testEnv.objects.get<JobLease>("JOB_LEASE", name);

describe("JobLease Durable Object", () => {
  it("grants exactly one of many racing acquirers", async () => {
    const stub = lease(`race-${crypto.randomUUID()}`);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stub.acquire(`run-${i}`, 60_000)));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    const holder = winners[0]!.acquired ? winners[0]!.lease.holder : "";
    for (const r of results) if (!r.acquired) expect(r.heldBy.holder).toBe(holder);
    expect(await stub.release("someone-else")).toBe(false);
    expect(await stub.release(holder)).toBe(true);
    expect((await stub.acquire("next", 1000)).acquired).toBe(true);
  });

  it("lets a new run take the lease once a crashed holder's lease expires", async () => {
    const stub = lease(`expiry-${crypto.randomUUID()}`);
    // Generous times: the claim is about expiry, and a loaded machine must not turn it into a race.
    expect((await stub.acquire("crashed-run", 1500)).acquired).toBe(true);
    expect((await stub.acquire("new-run", 1000)).acquired).toBe(false);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await stub.acquire("new-run", 1000)).acquired).toBe(true);
    expect((await stub.current())?.holder).toBe("new-run");
  });
});
