/**
 * Measurement helpers of the benchmarks: CPU time of our own child processes
 * (workerd, Postgres) read from Linux's /proc, and rounding of the figures.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Rounds a figure for the report: two decimals unless told otherwise. */
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * CPU time of processes, from Linux's /proc: what a request costs the
 * machine whatever else is running on it (wall-clock figures on a shared
 * machine are noise). A process's figure includes its exited children
 * (Postgres backends), plus the children still alive.
 */
function processes(): { pid: number; ppid: number; cmd: string }[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return [{ pid: Number(d), ppid, cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").replaceAll("\0", " ") }];
      } catch {
        return [];
      }
    });
}

function cpuTicks(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 here, after pid and comm are cut off.
    return Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  } catch {
    return 0;
  }
}

/** Milliseconds of CPU used so far by the given process trees. */
export function cpuMs(roots: number[]): number {
  const all = processes();
  let ticks = 0;
  for (const root of roots)
    ticks += cpuTicks(root, true) + all.filter((p) => p.ppid === root).reduce((sum, p) => sum + cpuTicks(p.pid, false), 0);
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Our own children only: other programs on the machine may start workerd or Postgres at the same time. */
export const pidsOf = (pattern: RegExp) =>
  new Set(
    processes()
      .filter((p) => p.ppid === process.pid && pattern.test(p.cmd))
      .map((p) => p.pid),
  );
export function newPids(before: Set<number>, pattern: RegExp): number[] {
  const pids = [...pidsOf(pattern)].filter((p) => !before.has(p));
  if (pids.length === 0) throw new Error(`no new child process matching ${pattern}: CPU figures need Linux's /proc`);
  return pids;
}
export const WORKERD = /workerd serve/;
/** The postmaster, started with its data directory; backends are its children. */
export const POSTMASTER = /postgres -D /;
