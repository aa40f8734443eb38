/** The original system's paths and parameters the document promises: sign-in under /api/users, no ignored parameter, analytics defaults. */
import { describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";

describe("the seed's contract", () => {
  it("signs in at POST /api/users/login exactly as at POST /api/auth/login", async () => {
    const body = { email: `nobody-${crypto.randomUUID()}@example.com`, password: "not-the-password-1" };
    const seed = await api("/api/users/login", { method: "POST", token: null, json: body });
    const auth = await api("/api/auth/login", { method: "POST", token: null, json: body });
    expect([seed.status, auth.status]).toEqual([401, 401]);
    const [a, b] = (await Promise.all([seed.json(), auth.json()])) as { code: string }[];
    expect(a!.code).toBe(b!.code);
    expect((await api("/api/users/login", { method: "POST", token: null, json: { email: "x" } })).status).toBe(422);
  });

  it("refuses a product listing parameter it does not know instead of ignoring it", async () => {
    const res = await api("/api/products?search=shirt", { token: null });
    expect(res.status).toBe(422);
    expect((await api("/api/products?limit=1", { token: null })).status).toBe(200);
  });

  it("reads analytics for one inclusive day and in the shop's currency when none is named", async () => {
    const res = await api("/api/analytics/sales?from=2031-05-04&to=2031-05-04");
    expect(res.status).toBe(200);
    const report = (await res.json()) as { currency: string; period: { from: string; to: string } };
    expect(report.currency).toBe("USD");
    expect(report.period).toMatchObject({ from: "2031-05-04T00:00:00.000Z", to: "2031-05-05T00:00:00.000Z" });
  });
});
