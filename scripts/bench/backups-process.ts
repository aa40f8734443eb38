/**
 * What the backup benchmark samples of the local workerd process while a
 * phase runs: resident memory and open files (/proc), and the wait until
 * the objects a phase opened are evicted again (see scripts/bench/backups.ts).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Resident memory of processes, in MiB (VmRSS from /proc). */
function rssMiB(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    kb += m ? Number(m[1]) : 0;
  }
  return kb / 1024;
}

/** Open file descriptors of processes (/proc/<pid>/fd). */
function openFiles(pids: number[]): number {
  let n = 0;
  for (const pid of pids) {
    try {
      n += readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      // The process ended.
    }
  }
  return n;
}

export interface Sampled<T> {
  value: T;
  seconds: number;
  peakMiB: number;
  baseMiB: number;
  peakFiles: number;
}

export async function sampled<T>(pids: number[], fn: () => Promise<T>): Promise<Sampled<T>> {
  const baseMiB = rssMiB(pids);
  let peakMiB = baseMiB;
  let peakFiles = openFiles(pids);
  let tick = 0;
  const timer = setInterval(() => {
    peakMiB = Math.max(peakMiB, rssMiB(pids));
    // Listing the descriptors costs more than reading the memory: every 10th tick (200 ms).
    if (tick++ % 10 === 0) peakFiles = Math.max(peakFiles, openFiles(pids));
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakMiB: Math.max(peakMiB, rssMiB(pids)), baseMiB, peakFiles };
  } finally {
    clearInterval(timer);
  }
}

/** Waits until workerd has evicted the objects the bootstrap opened (its open files fall under `below`), at most `maxSeconds`. */
export async function untilObjectsEvicted(pids: number[], below: number, maxSeconds: number): Promise<{ seconds: number; files: number }> {
  const t0 = performance.now();
  let files = openFiles(pids);
  while (files >= below && performance.now() - t0 < maxSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    files = openFiles(pids);
  }
  return { seconds: (performance.now() - t0) / 1000, files };
}
