/** /api/analytics is for the admin and analyst roles, and names a bad period's field. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { settle } from "./test-fixtures.ts";

const PATHS = ["/sales?currency=USD", "/funnel", "/cohorts", "/customers?currency=USD", "/inventory", "/realtime?currency=USD"];
const tokens: Record<string, string> = {};

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

beforeAll(async () => {
  const [customer, support, analyst] = await Promise.all([
    registerAndLogin("customer"),
    registerAndLogin("support"),
    registerAndLogin("analyst"),
  ]);
  Object.assign(tokens, { customer: customer.accessToken, support: support.accessToken, analyst: analyst.accessToken });
}, 60_000);

describe("analytics access", () => {
  it("refuses customers and support (403) and anonymous callers (401)", async () => {
    for (const path of PATHS) {
      expect((await api(`/api/analytics${path}`, { token: tokens.customer })).status, path).toBe(403);
      expect((await api(`/api/analytics${path}`, { token: tokens.support })).status, path).toBe(403);
      expect((await api(`/api/analytics${path}`, { token: null })).status, path).toBe(401);
    }
  });

  it("serves analysts and admins", async () => {
    for (const path of PATHS) {
      expect((await api(`/api/analytics${path}`, { token: tokens.analyst })).status, path).toBe(200);
      expect((await api(`/api/analytics${path}`)).status, path).toBe(200);
    }
  });

  it("answers 422 naming the field for a bad period, granularity or currency", async () => {
    const problem = async (path: string) => {
      const res = await api(`/api/analytics${path}`, { token: tokens.analyst });
      expect(res.status, path).toBe(422);
      return ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    };
    expect(await problem("/sales?currency=USD&from=2026-03-10&to=2026-03-01")).toEqual(["query.from"]);
    expect(await problem("/sales?currency=USD&from=yesterday")).toEqual(["query.from"]);
    expect(await problem("/sales?currency=USD&from=1990-01-01&to=2026-01-01&granularity=day")).toEqual(["query.granularity"]);
    expect(await problem("/sales?currency=us")).toEqual(["query.currency"]);
    expect(await problem("/sales?currency=usd&granularity=hour")).toEqual(expect.arrayContaining(["query.currency", "query.granularity"]));
    expect(await problem("/realtime?currency=USD&date=2026-02-30")).toEqual(["query.date"]);
  });

  it("lists every report in the OpenAPI document", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as { paths: Record<string, unknown> };
    for (const p of ["sales", "funnel", "cohorts", "customers", "inventory", "realtime"])
      expect(Object.keys(doc.paths)).toContain(`/api/analytics/${p}`);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/pipeline/quarantine", "/api/pipeline/quarantine/{id}/replay", "/api/pipeline/quarantine/replay"]),
    );
  });
});
