/**
 * The outage watch's rules: a dependency's state (up, or down since when),
 * moved by reported failures and by the watch's own probes, and the alerts
 * each move raises. One alert when an outage begins, however many requests
 * report it; one recovery when enough consecutive probes have answered, so
 * a database that flaps while coming back does not raise a second alert.
 */
export type AlertKind = "outage" | "recovered";

export interface Alert {
  /** Stable per outage and kind: the receiver de-duplicates on it. */
  id: string;
  kind: AlertKind;
  dependency: string;
  at: string;
  detail: string;
  /** A recovery says how long the outage lasted. */
  durationSeconds?: number;
}

export interface WatchState {
  status: "up" | "down";
  /** When the current outage began (ms), null while up. */
  since: number | null;
  outages: number;
  /** The length of every outage that has ended, in ms. */
  downMsTotal: number;
  goodProbes: number;
  lastDetail: string | null;
}

export const initialWatch: WatchState = { status: "up", since: null, outages: 0, downMsTotal: 0, goodProbes: 0, lastDetail: null };

/** A request or probe saw the dependency fail: the first failure begins an outage and raises its alert. */
export function failureSeen(
  state: WatchState,
  dependency: string,
  now: number,
  detail: string,
): { state: WatchState; alert: Alert | null } {
  if (state.status === "down") return { state: { ...state, goodProbes: 0, lastDetail: detail }, alert: null };
  const next: WatchState = { ...state, status: "down", since: now, outages: state.outages + 1, goodProbes: 0, lastDetail: detail };
  const alert: Alert = { id: `${dependency}-outage-${now}`, kind: "outage", dependency, at: new Date(now).toISOString(), detail };
  return { state: next, alert };
}

/** A probe answered: after `needed` in a row the outage is over and the recovery alert is raised. */
export function probeAnswered(
  state: WatchState,
  dependency: string,
  now: number,
  needed: number,
): { state: WatchState; alert: Alert | null } {
  if (state.status === "up" || state.since === null) return { state, alert: null };
  const goodProbes = state.goodProbes + 1;
  if (goodProbes < needed) return { state: { ...state, goodProbes }, alert: null };
  const downMs = now - state.since;
  const alert: Alert = {
    id: `${dependency}-outage-${state.since}-recovered`,
    kind: "recovered",
    dependency,
    at: new Date(now).toISOString(),
    detail: `${dependency} answers again after ${Math.round(downMs / 1000)} s`,
    durationSeconds: Math.round(downMs / 1000),
  };
  return { state: { ...state, status: "up", since: null, goodProbes: 0, downMsTotal: state.downMsTotal + downMs }, alert };
}

/** Milliseconds spent down so far, the current outage included. */
export function downMsUntil(state: WatchState, now: number): number {
  return state.downMsTotal + (state.since === null ? 0 : now - state.since);
}
