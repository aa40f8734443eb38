/**
 * The attack suite's one habit: every attack is refused, and the resource it
 * aimed at reads the same afterwards as before. `refusedUnchanged` reads the
 * resource (as its owner or staff), sends the attack, checks the status, and
 * reads again.
 */
import { expect } from "vitest";
import { api } from "../helpers/http.ts";

export type Read = () => Promise<unknown>;

/** The JSON body of a read that must succeed. */
export async function readJson(path: string, token: string | null | undefined, init: RequestInit = {}): Promise<unknown> {
  const res = await api(path, { ...init, token });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 200)}`).toBeLessThan(300);
  return text ? JSON.parse(text) : null;
}

/** Sends `attack`, expects one of `statuses`, and that `read` answers the same before and after. */
export async function refusedUnchanged(read: Read, attack: () => Promise<Response>, statuses: number[], what: string): Promise<Response> {
  const before = await read();
  const res = await attack();
  expect(statuses, `${what}: answered ${res.status} ${await res.clone().text()}`).toContain(res.status);
  expect(await read(), `${what}: the resource changed`).toEqual(before);
  return res;
}

export async function problemCode(res: Response): Promise<string | undefined> {
  return ((await res.clone().json()) as { code?: string }).code;
}
