import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";

describe("GET /api/health", () => {
  it("reports Postgres, Durable Objects and queues as ok", async () => {
    const res = await api("/api/health", { token: null });
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string; outboxPending?: number }> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.checks.postgres!.status).toBe("ok");
    expect(body.checks.durableObjects!.status).toBe("ok");
    expect(body.checks.queues!.status).toBe("ok");
    expect(typeof body.checks.queues!.outboxPending).toBe("number");
  });
});
