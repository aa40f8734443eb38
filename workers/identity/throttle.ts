/**
 * Domain throttles through the LoginThrottle Durable Objects: sign-in
 * failures per account and per client address, second-factor codes, sign-ups
 * and the mails they cause, then 429 with Retry-After. Each attempt is counted
 * before the password is checked and forgiven when it succeeds, so only
 * failures stay counted and racing attempts cannot exceed the limit.
 */
import type { LoginThrottle, WindowPolicy } from "../../durable-objects/login-throttle/index.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { identityConfig } from "./config.ts";

export const FAILURES_PER_MINUTE: WindowPolicy = { limit: 5, windowMs: 60_000 };
/**
 * Wrong passwords per client address: sized for an office or a carrier's NAT,
 * where many people share one address and each mistypes now and then.
 */
export const ADDRESS_FAILURES: WindowPolicy = { limit: 30, windowMs: 60_000 };
/**
 * Wrong passwords per account before it backs off. Anyone can trigger the
 * back-off, so its owner gets past it: with the right password and the second
 * factor (which has its own limit), or with a reset mail, which clears it.
 */
export const ACCOUNT_FAILURES: WindowPolicy = { limit: 5, windowMs: 5 * 60_000 };
/** Mails one address may be sent because someone asked (sign-up, reset) per hour: no mail bombing through us. */
export const MAILS_PER_TARGET: WindowPolicy = { limit: 5, windowMs: 60 * 60_000 };

/** The throttle key of an account's sign-in failures, by its address as typed (case-folded). */
export const loginAccountKey = (email: string) => `login:account:${email.trim().toLowerCase()}`;

/** A key with a limit of its own, where one request counts against several. */
export interface ThrottleKey {
  key: string;
  policy: WindowPolicy;
}

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

export function rateLimited(retryAfterMs: number, hint = ""): ApiError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new ApiError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${seconds} seconds${hint}`, {
    headers: { "retry-after": String(seconds) },
    retryAfterSeconds: seconds,
  });
}

/** Counts one attempt against every key, or refuses with 429 if any key is over its limit. */
export async function holdAttempt(
  rt: Pick<Runtime, "objects">,
  keys: (string | ThrottleKey)[],
  policy: WindowPolicy = FAILURES_PER_MINUTE,
): Promise<Hold> {
  const hold = await tryAttempt(rt, keys, policy);
  if (!hold.allowed) {
    // Refused before anything was tried: nothing of this attempt stays counted.
    await hold.forgive();
    throw rateLimited(hold.retryAfterMs);
  }
  return hold;
}

export interface Attempted extends Hold {
  /** Whether every key had room. */
  allowed: boolean;
  retryAfterMs: number;
  /** Takes the attempt back from every key that counted it. */
  forgive(): Promise<void>;
}

/** Counts one attempt against every key that has room, and says whether all had; the caller decides what a refusal means. */
export async function tryAttempt(
  rt: Pick<Runtime, "objects">,
  keys: (string | ThrottleKey)[],
  policy: WindowPolicy = FAILURES_PER_MINUTE,
): Promise<Attempted> {
  const id = crypto.randomUUID();
  const named = keys.map((k) => (typeof k === "string" ? { key: k, policy } : k));
  const stubs = named.map((k) => rt.objects.get<LoginThrottle>("LOGIN_THROTTLE", k.key));
  const decisions = await Promise.all(stubs.map((s, i) => s.attempt(id, named[i]!.policy)));
  const waits = decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterMs]));
  return {
    allowed: waits.length === 0,
    retryAfterMs: Math.max(0, ...waits),
    async forgive() {
      await Promise.all(stubs.filter((_, i) => decisions[i]!.allowed).map((s) => s.forgive(id)));
    },
    async succeeded(reset = []) {
      await Promise.all(stubs.map((s, i) => (reset.includes(named[i]!.key) ? s.reset() : s.forgive(id))));
    },
  };
}

/** Forgets every attempt of a key: its owner proved who they are another way. */
export async function clearThrottle(rt: Pick<Runtime, "objects">, key: string): Promise<void> {
  await rt.objects.get<LoginThrottle>("LOGIN_THROTTLE", key).reset();
}

/** Sign-ups and reset requests per client address (SIGNUPS_PER_ADDRESS_PER_HOUR): each costs a password hash or a mail. */
export function requestsPerAddress(rt: Pick<Runtime, "vars">): WindowPolicy {
  return { limit: identityConfig.read(rt).SIGNUPS_PER_ADDRESS_PER_HOUR, windowMs: 60 * 60_000 };
}
