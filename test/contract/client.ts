/** The contract suite's HTTP client: the base URL the global setup provides, and sign-up over HTTP only. */
import { inject } from "vitest";
import { CONTRACT_OPS_TOKEN } from "./runtime-server.ts";

export const runtime = inject("runtime");

export function api(path: string, init: RequestInit & { json?: unknown; token?: string | null; ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? CONTRACT_OPS_TOKEN : init.token;
  if (token) headers.set("authorization", `Bearer ${token}`);
  // Sign-ins are throttled per client address: each test uses its own.
  headers.set("cf-connecting-ip", init.ip ?? clientIp());
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return fetch(`${inject("baseUrl")}${path}`, { ...init, headers, body });
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export const uid = () => crypto.randomUUID().replaceAll("-", "").slice(0, 10);

export function clientIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export interface ContractUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
}

/** A fresh account (given `role` through the operations token), signed in. */
export async function signUp(role: "customer" | "admin" | "support" = "customer"): Promise<ContractUser> {
  const email = `${role}-${uid()}@contract.example`;
  const password = `tangerine-${uid()}-velvet-ladder`;
  const user = await json<{ id: string }>(
    await api("/api/users/register", { method: "POST", token: null, json: { email, password, name: `Contract ${role}` } }),
    201,
  );
  if (role !== "customer") await json(await api(`/api/users/${user.id}`, { method: "PUT", json: { role } }), 200);
  const tokens = await json<{ accessToken: string }>(
    await api("/api/auth/login", { method: "POST", token: null, json: { email, password } }),
    200,
  );
  return { userId: user.id, email, password, accessToken: tokens.accessToken };
}

/** Polls until `fn` returns a value, for effects that travel through the queues. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
