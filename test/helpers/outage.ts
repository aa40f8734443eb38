/**
 * Database outage drills from inside workerd: the test run's relay (test mode
 * only) kills, freezes and restarts the real PostgreSQL server on request
 * (scripts/local/outage.ts).
 */
import { env } from "cloudflare:workers";

export type OutageAction = "kill" | "freeze" | "thaw" | "start";

/** Runs a drill and waits for it: after `kill` the server is gone, after `start` it accepts connections. */
export async function database(action: OutageAction): Promise<void> {
  const proxy = (env as unknown as { NEON_WSPROXY?: string }).NEON_WSPROXY;
  if (!proxy) throw new Error("outage drills need the local relay (NEON_WSPROXY)");
  const res = await fetch(`http://${proxy.replace(/\/v2$/, "")}/outage/${action}`, { method: "POST" });
  if (!res.ok) throw new Error(`outage drill ${action} failed: ${res.status} ${await res.text()}`);
}
