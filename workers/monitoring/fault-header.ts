/**
 * Fault injection per request, for drills and tests: a staff caller (admin,
 * or the operations token) sends `X-Fault-Inject` and the route fails or
 * slows down, so an SLO, an alert or a client's fallback is demonstrable on
 * `npm run dev` without touching the database's fault table.
 *
 * - `error`: the route answers 503 problem+json `FAULT_INJECTED` (with
 *   Retry-After) and does nothing;
 * - `slow:<ms>`: the route runs after waiting `ms` (at most 10 s).
 *
 * Like every fault point it needs FAULT_INJECTION=on and is refused in
 * production (faults.ts); from anyone else, or with injection off, the
 * header is ignored: a customer cannot make the shop fail.
 */
import { createMiddleware } from "hono/factory";
import { hasRole } from "../platform/auth.ts";
import type { AppEnv, Principal } from "../platform/context.ts";
import { ApiError } from "../platform/errors.ts";
import { faultInjectionEnabled } from "../platform/faults.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { MonitoringErrors } from "./errors.ts";

export const FAULT_HEADER = "x-fault-inject";
const MAX_SLOW_MS = 10_000;

export type RequestFault = { kind: "error" } | { kind: "slow"; ms: number };

export function parseRequestFault(value: string): RequestFault | null {
  const v = value.trim().toLowerCase();
  if (v === "error") return { kind: "error" };
  const slow = /^slow:(\d{1,5})$/.exec(v);
  return slow && Number(slow[1]) <= MAX_SLOW_MS ? { kind: "slow", ms: Number(slow[1]) } : null;
}

/**
 * The fault a request asks for, if it may: a staff caller, injection on.
 * In production with FAULT_INJECTION=on this throws the configuration error.
 */
export function requestFault(
  rt: Pick<Runtime, "vars">,
  principal: Principal | null | undefined,
  header: string | undefined,
): RequestFault | null {
  if (!header || !hasRole(principal, "admin")) return null;
  if (!faultInjectionEnabled(rt)) return null;
  return parseRequestFault(header);
}

export const injectRequestFaults = createMiddleware<AppEnv>(async (c, next) => {
  const fault = requestFault(c.env, c.get("principal"), c.req.header(FAULT_HEADER));
  if (fault) log.warn("fault.injected", { kind: fault.kind, path: c.req.path, method: c.req.method });
  if (fault?.kind === "error")
    throw new ApiError(MonitoringErrors.FAULT_INJECTED, "A fault was injected by the X-Fault-Inject header; nothing was done", {
      headers: { "retry-after": "1" },
    });
  if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.ms));
  await next();
});
