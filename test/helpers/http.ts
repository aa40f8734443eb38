/** Drives the Worker over HTTP from inside workerd, as a client would. */
import { exports } from "cloudflare:workers";
import { assertConforms } from "./contract.ts";

export const OPS_TOKEN = "test-ops-token-0123456789abcdef";
export const BASE = "https://api.test";

/** Sends a request to the Worker; the response must agree with the OpenAPI document (./contract.ts), or the test fails. */
export async function api(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? OPS_TOKEN : init.token;
  if (token) headers.set("authorization", `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const request = new Request(`${BASE}${path}`, { ...init, headers, body });
  const response = await exports.default.fetch(request);
  await assertConforms(request, response);
  return response;
}

/** Polls `fn` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
