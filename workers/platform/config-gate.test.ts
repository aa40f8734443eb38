import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../index.ts";

afterEach(() => vi.restoreAllMocks());

async function fetchWith(vars: Record<string, unknown>, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://api.test${path}`), { ...env, ...vars } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("the configuration check at start", () => {
  it("answers 503 CONFIGURATION_INVALID everywhere while a setting is broken, and names it only in the log", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const broken = { DATABASE_URL: "mysql://db.example/shop", ORDER_SAGA_MAX_RETRIES: "many" };
    for (const path of ["/api/health/live", "/api/products"]) {
      const res = await fetchWith(broken, path);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("60");
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe("CONFIGURATION_INVALID");
      expect(body.detail).not.toMatch(/DATABASE_URL|mysql/);
    }
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; problems?: string[] }).filter((l) => l.msg === "config.invalid");
    // Two requests, one vars object per call here: each new configuration is checked (and reported) once.
    expect(logged.length).toBeGreaterThanOrEqual(1);
    const problems = logged[0]!.problems!.join("\n");
    expect(problems).toMatch(/platform.*DATABASE_URL/);
    expect(problems).toMatch(/ORDER_SAGA_MAX_RETRIES/);
  });

  it("serves as usual with the configuration intact", async () => {
    const res = await fetchWith({}, "/api/health/live");
    expect(res.status).toBe(200);
  });
});
