import { afterEach, describe, expect, it, vi } from "vitest";
import { log, redact, setLogLevel } from "./log.ts";

afterEach(() => {
  vi.restoreAllMocks();
  setLogLevel("warn");
});

describe("logs", () => {
  it("never write personal data or secrets: fields by name, email addresses anywhere", () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    log.warn("signup.failed", {
      email: "ada@example.com",
      password: "tangerine-velvet",
      user: { id: "usr_1", phone: "+44 20 7946 0000", shippingAddress: { line1: "1 Main St" } },
      error: "duplicate key: ada.lovelace+shop@example.co.uk already exists",
      headers: [{ authorization: "Bearer abc" }],
      route: "/api/users/register",
    });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const secret of ["ada@example.com", "tangerine", "7946", "Main St", "lovelace", "Bearer abc"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({
      msg: "signup.failed",
      email: "[redacted]",
      user: { id: "usr_1", phone: "[redacted]", shippingAddress: "[redacted]" },
      error: "duplicate key: [redacted-email] already exists",
      route: "/api/users/register",
    });
  });

  it("drops lines under the level, and leaves values without personal data as they are", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    setLogLevel("warn");
    log.info("ignored", { n: 1 });
    expect(lines).toEqual([]);
    expect(redact({ n: 1, ok: true, list: [1, "two"], nested: { orderId: "ord_1" } })).toEqual({
      n: 1,
      ok: true,
      list: [1, "two"],
      nested: { orderId: "ord_1" },
    });
  });
});
