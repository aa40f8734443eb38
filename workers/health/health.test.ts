import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";

describe("GET /api/health", () => {
  it("reports Postgres, Durable Objects and queues as ok", async () => {
    // Other tests leave events unpublished on purpose (simulated crashes); publish them first,
    // so the outbox backlog reflects the queues' health and not the order the tests ran in.
    const sweep = await api("/api/scheduler/jobs/outbox-sweep/run", { method: "POST" });
    expect(((await sweep.json()) as { outcome: string }).outcome).toMatch(/succeeded|skipped/);
    const res = await api("/api/health", { token: null });
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string; outboxPending?: number }> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.checks.postgres!.status).toBe("ok");
    expect(body.checks.durableObjects!.status).toBe("ok");
    expect(body.checks.queues!.status, JSON.stringify(body.checks.queues)).toBe("ok");
    expect(body.status).toBe("ok");
    expect(typeof body.checks.queues!.outboxPending).toBe("number");
  });

  it("answers liveness without touching dependencies", async () => {
    const res = await api("/api/health/live", { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
