/**
 * An SLO's change as an alert for the ops channel (mail and/or webhook,
 * delivered by the notifications family): what broke or recovered, how fast
 * the budget burns, since when. Its id is stable per breach, so a retried
 * delivery is the same alert.
 */
import type { SloState } from "../../db/schema/ops.ts";
import { sendOpsAlert } from "../notifications/index.ts";
import type { Database } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import { monitoringConfig } from "./config.ts";
import type { BurnPolicy } from "./slo-rules.ts";
import type { Slo } from "./slo-table.ts";

const burn = (b: number | null) => (b === null ? "no events" : `${b.toFixed(1)}×`);

/** Delivers the state's pending alert; true when every configured channel took it. */
export async function sloAlert(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  db: Database,
  slo: Slo,
  state: SloState,
  policy: BurnPolicy,
): Promise<boolean> {
  const settings = monitoringConfig.read(rt);
  const breached = state.status === "breached";
  const windows = `${policy.longWindowMs / 60_000} min / ${policy.shortWindowMs / 60_000} min`;
  const subject = breached ? `SLO breached: ${slo.name}` : `SLO recovered: ${slo.name}`;
  const body = [
    `${slo.description} (objective ${(slo.objective * 100).toFixed(2)} %).`,
    breached
      ? `The error budget burns at ${burn(state.longBurn)} over ${policy.longWindowMs / 60_000} min and ${burn(state.shortBurn)} over ${policy.shortWindowMs / 60_000} min (alert at ${policy.burnRate}×), since ${state.since.toISOString()}.`
      : `The short window's burn rate is back to ${burn(state.shortBurn)} (below ${policy.burnRate}×) at ${state.since.toISOString()}.`,
    "The SLO states: GET /api/slos (docs/operability.md).",
  ].join("\n\n");
  const { delivered } = await sendOpsAlert(
    db,
    rt,
    { email: settings.OPS_ALERT_EMAIL ?? null, webhookUrl: settings.OPS_ALERT_WEBHOOK_URL ?? null },
    {
      id: state.pendingAlert!,
      subject,
      body,
      fields: {
        kind: "slo",
        slo: slo.name,
        state: state.status,
        since: state.since.toISOString(),
        longBurn: state.longBurn,
        shortBurn: state.shortBurn,
        windows,
        objective: slo.objective,
      },
    },
  );
  return delivered;
}
