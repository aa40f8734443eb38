/** Operations: trigger a job, replay a dead letter, verify the audit chain, and find those actions in the trail under the admin's id. */
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { base, newPage, opsToken, sharedBrowser, signIn } from "./console.ts";
import { apiCall, newAccount } from "./shop.ts";

const browser = sharedBrowser();

/** A message parked by the search consumer's dead-letter queue (what the DLQ consumer stores after the retries ran out). */
async function parkDeadLetter(): Promise<string> {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const id = `dlq_${Array.from({ length: 26 }, () => alphabet[Math.floor(Math.random() * 32)]).join("")}`;
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    await client.query(
      "insert into pipeline.dead_letters (id, queue, message_key, event_type, body, reason) values ($1, 'search-events', $2, 'ProductUpdated', $3, 'handler threw: timeout')",
      [id, `evt_${id}`, JSON.stringify({ id: `evt_${id}`, type: "ProductUpdated", version: 1, data: {} })],
    );
  } finally {
    await client.end();
  }
  return id;
}

describe("operations", () => {
  it("runs a job by hand, replays a dead letter and verifies the audit chain", async () => {
    const admin = await newAccount(base(), opsToken(), "admin");
    const deadLetter = await parkDeadLetter();
    const { page } = await newPage(browser());
    await signIn(page, admin.email, admin.password, "/admin/operations");
    await page.getByRole("button", { name: "Run outbox-sweep now" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Run the job" }).click();
    await page.getByText(/outbox-sweep: (succeeded|skipped)/).waitFor();
    const runs = await apiCall<{ items: { job: string; trigger: string }[] }>(base(), "/api/scheduler/runs?job=outbox-sweep&limit=5", {
      token: opsToken(),
    });
    expect(runs.items.some((r) => r.trigger === "manual")).toBe(true);

    await page.getByRole("button", { name: "Replay ProductUpdated" }).first().waitFor();
    await page.getByRole("button", { name: "Replay ProductUpdated" }).first().click();
    await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
    await page.getByText("Sent back to its queue.").waitFor();
    const replayed = await apiCall<{ items: { id: string }[] }>(base(), "/api/pipeline/dead-letters?status=replayed&limit=100", {
      token: opsToken(),
    });
    expect(replayed.items.map((d) => d.id)).toContain(deadLetter);

    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("button", { name: "Verify the audit chain" }).click();
    await page.getByText(/The chain is intact: [\d,]+ entries checked/).waitFor();

    // The job run and the replay are in the trail under the admin's own id (the trail's consumer may take a moment).
    await expect
      .poll(
        async () =>
          (
            await apiCall<{ items: unknown[] }>(base(), `/api/audit/entries?actorId=${admin.id}&type=StaffActionTaken`, {
              token: opsToken(),
            })
          ).items.length,
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(2);
    await page.getByLabel("Actor id").fill(admin.id);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("actorId")).toBe(admin.id);
    await page.getByRole("cell", { name: "StaffActionTaken: POST /api/scheduler/jobs/{name}/run" }).waitFor();
    await page.getByRole("cell", { name: "StaffActionTaken: POST /api/pipeline/dead-letters/{id}/replay" }).waitFor();
    await page.close();
  });
});
