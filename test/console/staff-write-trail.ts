/**
 * The console's writes made over HTTP by a member of staff, as its pages send
 * them, and the audit trail's record of them: each must land there under the
 * staff member's user id, as an action taken and as an attempt with its
 * outcome.
 */
import { expect } from "vitest";
import { api, eventually } from "../helpers/http.ts";
import type { TestUser } from "../helpers/identity.ts";

type Call = (staff: TestUser) => Promise<Response>;

export const send =
  (method: string, path: string | (() => string), json?: unknown | (() => unknown), headers?: () => Record<string, string>): Call =>
  (staff) =>
    api(typeof path === "function" ? path() : path, {
      method,
      token: staff.accessToken,
      ...(json === undefined ? {} : { json: typeof json === "function" ? (json as () => unknown)() : json }),
      ...(headers ? { headers: headers() } : {}),
    });
export const body = async <T>(res: Response) => (await res.clone().json()) as T;
export const ifMatch = (version: number) => () => ({ "if-match": `"v${version}"` });

export interface Entry {
  type: string;
  actorType: string | null;
  actorId: string | null;
  subjectId: string;
  payload: { method: string; route: string; params: Record<string, string>; status: number };
}

/** Runs console writes as `staff`: each must succeed, and is then expected in the trail (`done` lists them). */
export function consoleWrites(staff: TestUser) {
  const done: string[] = [];
  const act = async <T = Record<string, unknown>>(write: string, call: Call): Promise<T> => {
    const res = await call(staff);
    expect([write, res.status, res.status < 300 ? "" : await res.text()]).toEqual([write, res.status < 300 ? res.status : 200, ""]);
    done.push(write);
    return res.status === 204 ? ({} as T) : body<T>(res);
  };
  return { act, done };
}

/**
 * Checks that the writes made are exactly `expected` and that each is in the
 * trail under `staff`'s user id, taken and first attempted (with its outcome);
 * answers the subject each write's entry names.
 */
export async function expectEachWriteAudited(
  staff: TestUser,
  done: string[],
  expected: string[],
): Promise<(write: string) => string | undefined> {
  const wanted = new Set(done);
  const entries = await eventually(
    async () => {
      const page = await body<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${staff.userId}&type=StaffActionTaken&limit=100`));
      const seen = new Set(page.items.map((e) => `${e.payload.method} ${e.payload.route}`));
      return [...wanted].every((w) => seen.has(w)) ? page.items : undefined;
    },
    60_000,
    "an audit entry for each console write",
  );
  expect(done).toHaveLength(expected.length);
  expect(new Set(done)).toEqual(new Set(expected));
  for (const e of entries) expect(e).toMatchObject({ type: "StaffActionTaken", actorType: "user", actorId: staff.userId });
  // Each was first recorded as an attempt, which the trail shows with its outcome.
  const attempts = await eventually(
    async () => {
      const page = await body<{ items: (Entry & { outcome?: { result: string } })[] }>(
        await api(`/api/audit/entries?actorId=${staff.userId}&type=StaffActionAttempted&limit=100`),
      );
      return page.items.length === done.length && page.items.every((e) => e.outcome?.result === "succeeded") ? page.items : undefined;
    },
    60_000,
    "an attempt with its outcome for each console write",
  );
  expect(new Set(attempts.map((e) => `${e.payload.method} ${e.payload.route}`))).toEqual(wanted);
  // The subject is the entity concerned: the path's id, or the id a create answered.
  return (write) => entries.find((e) => `${e.payload.method} ${e.payload.route}` === write)?.subjectId;
}
