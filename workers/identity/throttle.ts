/**
 * Sign-in and reset throttling through the LoginThrottle Durable Objects:
 * about five failures a minute per account and per client address, then 429
 * with Retry-After. Each attempt is counted before the password is checked
 * and forgiven when it succeeds, so racing attempts cannot exceed the limit.
 */
import type { LoginThrottle, WindowPolicy } from "../../durable-objects/login-throttle/index.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";

export const FAILURES_PER_MINUTE: WindowPolicy = { limit: 5, windowMs: 60_000 };

/**
 * The bucket of a client address: IPv4 as is, IPv6 by its /64 prefix, since
 * one subscriber usually holds a whole /64 and could otherwise rotate freely.
 */
export function addressBucket(ip: string | undefined): string {
  if (!ip) return "unknown";
  const address = ip.trim().toLowerCase();
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("::", 2);
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** The address Cloudflare saw the request come from. */
export function clientAddress(c: AppContext): string {
  return addressBucket(c.req.header("cf-connecting-ip"));
}

export interface Hold {
  /** The attempt succeeded: forgive it, and forget all failures of the `reset` keys (the account's). */
  succeeded(reset?: string[]): Promise<void>;
}

/** Counts one attempt against every key, or refuses with 429 if any key is over its limit. */
export async function holdAttempt(rt: Pick<Runtime, "objects">, keys: string[], policy: WindowPolicy = FAILURES_PER_MINUTE): Promise<Hold> {
  const id = crypto.randomUUID();
  const stubs = keys.map((k) => rt.objects.get<LoginThrottle>("LOGIN_THROTTLE", k));
  const decisions = await Promise.all(stubs.map((s) => s.attempt(id, policy)));
  const waits = decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterMs]));
  if (waits.length > 0) {
    // Refused before anything was tried: the keys that did count this attempt forgive it.
    await Promise.all(stubs.filter((_, i) => decisions[i]!.allowed).map((s) => s.forgive(id)));
    const seconds = Math.ceil(Math.max(...waits) / 1000);
    throw new ApiError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${seconds} seconds`, {
      headers: { "retry-after": String(seconds) },
      retryAfterSeconds: seconds,
    });
  }
  return {
    async succeeded(reset = []) {
      await Promise.all(stubs.map((s, i) => (reset.includes(keys[i]!) ? s.reset() : s.forgive(id))));
    },
  };
}
