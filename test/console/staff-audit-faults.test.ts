/**
 * The staff audit survives the faults between a change and its record: the
 * attempt is written before the route runs, so a write whose outcome is
 * never recorded is still in the trail (outcome unknown), and a write whose
 * attempt cannot be recorded is refused before anything changes. Faults are
 * injected at the middleware's own fault points, for one staff member.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openSku } from "../../durable-objects/inventory/testing.ts";
import { ATTEMPT_FAULT, OUTCOME_FAULT } from "../../workers/audit/staff-actions.ts";
import { activeProduct, postReview, shopper } from "../../workers/reviews/test-fixtures.ts";
import { withTestDb } from "../helpers/db.ts";
import { injectFault } from "../helpers/events.ts";
import { api, eventually } from "../helpers/http.ts";
import { registerAndLogin, type TestUser } from "../helpers/identity.ts";

interface Entry {
  seq: number;
  eventId: string;
  type: string;
  actorType: string | null;
  actorId: string | null;
  subjectId: string;
  correlationId: string;
  payload: { method: string; route: string; params: Record<string, string>; status?: number; attemptId?: string };
  outcome?: { result: string; status: number | null };
}

const entriesOf = async (actorId: string, type: string): Promise<Entry[]> =>
  ((await (await api(`/api/audit/entries?actorId=${actorId}&type=${type}&limit=100`)).json()) as { items: Entry[] }).items;

/** The staff member's entries of `type` once at least `n` are in the trail. */
const atLeast = (staff: TestUser, type: string, n: number) =>
  eventually(
    async () => {
      const items = await entriesOf(staff.userId, type);
      return items.length >= n ? items : undefined;
    },
    30_000,
    `${n} ${type} entries`,
  );

const categoriesNamed = (name: string) =>
  withTestDb(async (db) => {
    const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from catalog.categories where name = ${name}`);
    return r.rows[0]!.n;
  });

const createCategory = (staff: TestUser, name: string) =>
  api("/api/products/categories", { method: "POST", token: staff.accessToken, json: { name, parentId: null } });

describe("the staff audit under faults", () => {
  it("keeps the attempt, route and actor of a write whose outcome could not be recorded, as outcome unknown", async () => {
    const admin = await registerAndLogin("admin");
    await injectFault(OUTCOME_FAULT, admin.userId, 1);
    const name = `Unrecorded ${crypto.randomUUID().slice(0, 8)}`;
    const res = await createCategory(admin, name);
    // The change is made and answered as the route answers it.
    expect(res.status).toBe(201);
    expect(await categoriesNamed(name)).toBe(1);

    const [attempt] = await atLeast(admin, "StaffActionAttempted", 1);
    expect(attempt).toMatchObject({
      actorType: "user",
      actorId: admin.userId,
      correlationId: res.headers.get("x-request-id"),
      payload: { method: "POST", route: "/api/products/categories", params: {} },
      outcome: { result: "unknown", status: null },
    });
    expect(await entriesOf(admin.userId, "StaffActionTaken")).toEqual([]);

    // The fault is spent: the next write has both records, and the trail says what became of it.
    const second = await createCategory(admin, `${name} again`);
    expect(second.status).toBe(201);
    const attempts = await atLeast(admin, "StaffActionAttempted", 2);
    const [taken] = await atLeast(admin, "StaffActionTaken", 1);
    expect(taken!.payload).toMatchObject({ status: 201, attemptId: attempts[0]!.eventId });
    await eventually(
      async () => {
        const [newest, oldest] = await entriesOf(admin.userId, "StaffActionAttempted");
        return newest?.outcome?.result === "succeeded" ? [newest, oldest] : undefined;
      },
      30_000,
      "the second attempt's outcome",
    ).then(([newest, oldest]) => {
      expect(newest!.outcome).toEqual({ result: "succeeded", status: 201 });
      expect(oldest!.outcome).toEqual({ result: "unknown", status: null });
    });

    // The attempts are chained like every entry: the chain still verifies.
    const verified = (await (await api("/api/audit/verify", { method: "POST", json: { fromSeq: attempt!.seq } })).json()) as {
      ok: boolean;
    };
    expect(verified.ok).toBe(true);
  });

  it("refuses a write whose attempt could not be recorded, and changes nothing", async () => {
    const admin = await registerAndLogin("admin");
    await injectFault(ATTEMPT_FAULT, admin.userId, 2);

    // A change in Postgres: no category.
    const name = `Refused ${crypto.randomUUID().slice(0, 8)}`;
    const res = await createCategory(admin, name);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("STAFF_AUDIT_UNAVAILABLE");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await categoriesNamed(name)).toBe(0);

    // A change that lives only in a Durable Object: the stock is as it was.
    const { sku } = await openSku(10, {}, "AUD");
    const before = await (await api(`/api/inventory/${sku}`)).json();
    const adjust = await api(`/api/inventory/${sku}/adjust`, {
      method: "POST",
      token: admin.accessToken,
      json: { delta: -3, reason: "damaged in store" },
    });
    expect(adjust.status).toBe(503);
    expect(await (await api(`/api/inventory/${sku}`)).json()).toEqual(before);

    // Once the trail can record again, the same write goes through, with its attempt and outcome.
    const retried = await createCategory(admin, name);
    expect(retried.status).toBe(201);
    expect(await categoriesNamed(name)).toBe(1);
    const attempts = await atLeast(admin, "StaffActionAttempted", 1);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.payload.route).toBe("/api/products/categories");
  });

  it("records a refused write's attempt and its failure, and nothing for a customer's write", async () => {
    const support = await registerAndLogin("support");
    const res = await api(`/api/inventory/NOPE-${crypto.randomUUID().slice(0, 6)}/adjust`, {
      method: "POST",
      token: support.accessToken,
      json: { delta: 1, reason: "x" },
    });
    expect(res.status).toBe(403);
    const [failed] = await atLeast(support, "StaffActionFailed", 1);
    expect(failed).toMatchObject({
      actorId: support.userId,
      payload: { method: "POST", route: "/api/inventory/{sku}/adjust", status: 403 },
    });
    const [attempt] = await atLeast(support, "StaffActionAttempted", 1);
    expect(failed!.payload.attemptId).toBe(attempt!.eventId);
    expect(attempt!.outcome).toEqual({ result: "failed", status: 403 });

    const customer = await shopper();
    await postReview(customer, await activeProduct());
    // Appended in order: once the staff member's later entry is in, a customer's attempt would be too.
    const admin = await registerAndLogin("admin");
    expect((await api("/api/scheduler/jobs/catalog-cache-prune/run", { method: "POST", token: admin.accessToken })).status).toBe(200);
    await atLeast(admin, "StaffActionTaken", 1);
    expect(await entriesOf(customer.userId, "StaffActionAttempted")).toEqual([]);
  });
});
