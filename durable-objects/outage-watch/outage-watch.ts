/**
 * One OutageWatch object per dependency (today the database) turns the
 * failures that requests meet into alerts: exactly one when an outage
 * begins, however many requests in however many isolates report it, and one
 * recovery. While the dependency is down, its alarm probes it every few
 * seconds; every alarm also delivers the alerts not yet delivered to the
 * ops channel (a webhook, retried until it answers 2xx; the receiver
 * de-duplicates on the alert id). Its state needs no database: it is the
 * one thing that must work when the database does not.
 */
import { DurableObject } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { type CloudflareEnv, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import { withDb } from "../../workers/platform/db.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import { type Alert, downMsUntil, failureSeen, initialWatch, probeAnswered, type WatchState } from "./watch-rules.ts";

/** How the watch probes and where it delivers; handed in by the family, which owns the settings. */
export interface WatchSettings {
  dependency: string;
  probeMs: number;
  recoveryProbes: number;
  webhookUrl: string | null;
}

export interface WatchStatus {
  status: "up" | "down";
  since: string | null;
  outages: number;
  downSecondsTotal: number;
  alertsDelivered: number;
  pendingAlerts: number;
  /** The newest delivered alerts, newest last. */
  recentAlerts: Alert[];
}

interface Stored {
  watch: WatchState;
  settings: WatchSettings | null;
  pending: Alert[];
  delivered: Alert[];
  deliveredTotal: number;
}

const KEY = "state";
const RECENT = 20;
const DELIVERY_RETRY_MS = 10_000;

export class OutageWatch extends DurableObject<CloudflareEnv> {
  private async load(): Promise<Stored> {
    return (
      (await this.ctx.storage.get<Stored>(KEY)) ?? { watch: initialWatch, settings: null, pending: [], delivered: [], deliveredTotal: 0 }
    );
  }

  /** A request met the dependency failing. Returns whether this report began an outage. */
  async report(detail: string, settings: WatchSettings): Promise<boolean> {
    // Many requests report at once when a dependency fails: each read-and-write runs alone, so exactly one begins the outage.
    return this.ctx.blockConcurrencyWhile(async () => {
      const stored = await this.load();
      const { state, alert } = failureSeen(stored.watch, settings.dependency, Date.now(), detail.slice(0, 300));
      const next: Stored = { ...stored, watch: state, settings, pending: alert ? [...stored.pending, alert] : stored.pending };
      await this.ctx.storage.put(KEY, next);
      if (alert) {
        log.warn("alert.raised", { ...alert });
        await this.ctx.storage.setAlarm(Date.now());
      }
      return alert !== null;
    });
  }

  async status(): Promise<WatchStatus> {
    const s = await this.load();
    const now = Date.now();
    return {
      status: s.watch.status,
      since: s.watch.since === null ? null : new Date(s.watch.since).toISOString(),
      outages: s.watch.outages,
      downSecondsTotal: Math.round(downMsUntil(s.watch, now) / 1000),
      alertsDelivered: s.deliveredTotal,
      pendingAlerts: s.pending.length,
      recentAlerts: s.delivered,
    };
  }

  override async alarm(): Promise<void> {
    const seen = await this.load();
    const settings = seen.settings;
    if (!settings) return;
    // The probe and the deliveries wait on the network, when reports may come in: each result is applied to the
    // state as it is then (read and written alone), so a report made meanwhile (a new outage, a failure) is kept.
    if (seen.watch.status === "down") {
      const answered = await this.probe();
      await this.ctx.blockConcurrencyWhile(async () => {
        const s = await this.load();
        if (s.watch.status !== "down") return;
        const r = answered
          ? probeAnswered(s.watch, settings.dependency, Date.now(), settings.recoveryProbes)
          : { state: { ...s.watch, goodProbes: 0 }, alert: null };
        if (r.alert) log.warn("alert.raised", { ...r.alert });
        await this.ctx.storage.put(KEY, { ...s, watch: r.state, pending: r.alert ? [...s.pending, r.alert] : s.pending });
      });
    }
    const delivered: Alert[] = [];
    for (const alert of (await this.load()).pending) {
      if (await deliver(alert, settings.webhookUrl)) delivered.push(alert);
      else break; // In order: a recovery never arrives before its outage.
    }
    await this.ctx.blockConcurrencyWhile(async () => {
      const s = await this.load();
      const sent = new Set(delivered.map((a) => a.id));
      const next: Stored = {
        ...s,
        pending: s.pending.filter((a) => !sent.has(a.id)),
        delivered: [...s.delivered, ...delivered].slice(-RECENT),
        deliveredTotal: s.deliveredTotal + delivered.length,
      };
      await this.ctx.storage.put(KEY, next);
      if (next.watch.status === "down") await this.ctx.storage.setAlarm(Date.now() + settings.probeMs);
      else if (next.pending.length > 0) await this.ctx.storage.setAlarm(Date.now() + DELIVERY_RETRY_MS);
    });
  }

  /** One cheap statement over the database's HTTP path, bounded by the port's statement timeout. */
  private async probe(): Promise<boolean> {
    try {
      await withDb(cloudflareRuntime(this.env), (db) => db.execute(sql`select 1`));
      return true;
    } catch {
      return false;
    }
  }
}

/** Delivers one alert: to the webhook when configured (2xx is delivered), else to the error log, which is then the channel. */
async function deliver(alert: Alert, webhookUrl: string | null): Promise<boolean> {
  if (!webhookUrl) {
    log.error("alert.delivered", { channel: "log", ...alert });
    return true;
  }
  try {
    const res = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": alert.id },
      body: JSON.stringify({ source: "edge-commerce", ...alert }),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    if (res.ok) return true;
    log.warn("alert.delivery_refused", { id: alert.id, status: res.status });
  } catch (err) {
    log.warn("alert.delivery_failed", { id: alert.id, ...errorFields(err) });
  }
  return false;
}
