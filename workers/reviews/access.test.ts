import { describe, expect, it } from "vitest";
import type { Principal } from "../platform/context.ts";
import type { ApiError } from "../platform/errors.ts";
import { assertAuthor, assertOthersPublished, assertVisible, canSee } from "./access.ts";

const user = (id: string, ...roles: Principal["roles"]): Principal => ({ id, kind: "user", roles: roles.length ? roles : ["customer"] });
const ops: Principal = { id: "ops", kind: "service", roles: ["admin"] };
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (err) {
    return (err as ApiError).status;
  }
};

describe("review access", () => {
  const pending = { userId: "usr_a", status: "pending" };
  const approved = { userId: "usr_a", status: "approved" };

  it("shows approved reviews to everyone and the others to their author and moderators", () => {
    expect(canSee(null, approved)).toBe(true);
    expect(canSee(null, pending)).toBe(false);
    expect(canSee(user("usr_b"), pending)).toBe(false);
    expect(canSee(user("usr_a"), pending)).toBe(true);
    expect(canSee(user("usr_s", "support"), pending)).toBe(true);
    expect(canSee(user("usr_x", "analyst"), pending)).toBe(false);
    expect(statusOf(() => assertVisible(user("usr_b"), pending))).toBe(404);
    expect(statusOf(() => assertVisible(user("usr_b"), undefined))).toBe(404);
  });

  it("lets only the author edit: 403 to those who see the review, 404 to those who do not", () => {
    expect(statusOf(() => assertAuthor(user("usr_a"), pending))).toBe(200);
    expect(statusOf(() => assertAuthor(user("usr_b"), approved))).toBe(403);
    expect(statusOf(() => assertAuthor(user("usr_b"), pending))).toBe(404);
    expect(statusOf(() => assertAuthor(user("usr_s", "support"), pending))).toBe(403);
    // A service token with the author's id is not the author.
    expect(statusOf(() => assertAuthor({ id: "usr_a", kind: "service", roles: [] }, approved))).toBe(403);
    expect(statusOf(() => assertAuthor(ops, pending, (p) => p?.roles.includes("admin") ?? false))).toBe(200);
  });

  it("keeps votes and reports to other people's published reviews", () => {
    expect(statusOf(() => assertOthersPublished(user("usr_b"), approved))).toBe(200);
    expect(statusOf(() => assertOthersPublished(user("usr_a"), approved))).toBe(403);
    expect(statusOf(() => assertOthersPublished(user("usr_b"), pending))).toBe(404);
    expect(statusOf(() => assertOthersPublished(user("usr_s", "admin"), pending))).toBe(409);
  });
});
