/**
 * The Prometheus text format of `/api/metrics` read into samples, and the
 * figures the metrics page shows from them: requests by status, the error
 * rate, a rate between two scrapes, and a quantile per route from the
 * duration histograms. Pure functions, so the page only draws.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
}

export interface Scrape {
  samples: Sample[];
  families: Family[];
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

function unescapeText(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m) return text.slice(start).trim() === "" ? labels : null;
    labels[m[1]!] = unescapeText(m[2]!);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Samples and families of a scrape; lines that are not samples (or are malformed) are skipped. */
export function parsePrometheus(text: string): Scrape {
  const samples: Sample[] = [];
  const families = new Map<string, Family>();
  const family = (name: string) => {
    const known = families.get(name);
    if (known) return known;
    const f = { name, type: "untyped", help: "" };
    families.set(name, f);
    return f;
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (meta?.[1] === "HELP") family(meta[2]!).help = unescapeText(meta[3]!);
      else if (meta?.[1] === "TYPE") family(meta[2]!).type = meta[3]!.trim();
      continue;
    }
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = m[2] === undefined ? {} : parseLabels(m[2]);
    const value = parseValue(m[3]!);
    if (!labels || Number.isNaN(value)) continue;
    samples.push({ name: m[1]!, labels, value });
  }
  return { samples, families: [...families.values()] };
}

/** The samples of one metric whose name ends with `suffix` (the registry adds a prefix). */
export function named(samples: readonly Sample[], suffix: string): Sample[] {
  return samples.filter((s) => s.name === suffix || s.name.endsWith(`_${suffix}`));
}

/** A counter's total per value of one label (e.g. requests per status). */
export function totalBy(samples: readonly Sample[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const key = s.labels[label] ?? "";
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/** The share of requests answered 5xx (null with no requests). */
export function errorRate(byStatus: Record<string, number>): number | null {
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const errors = Object.entries(byStatus)
    .filter(([status]) => status.startsWith("5"))
    .reduce((a, [, n]) => a + n, 0);
  return errors / total;
}

/**
 * Per second between two scrapes of a counter total; null without an earlier
 * scrape, or when the counter went down (another isolate answered, or it restarted).
 */
export function ratePerSecond(before: number | undefined, after: number, seconds: number): number | null {
  if (before === undefined || seconds <= 0 || after < before) return null;
  return (after - before) / seconds;
}

/**
 * A quantile (0..1) per value of `label` from a histogram's cumulative
 * `_bucket` samples, interpolating linearly inside the bucket as Prometheus'
 * histogram_quantile does; the upper bound of the last finite bucket when it
 * falls in +Inf. Series of the same label value (e.g. methods) are added up.
 */
export function quantileBy(samples: readonly Sample[], histogram: string, label: string, q: number): Record<string, number> {
  const buckets = new Map<string, Map<number, number>>();
  for (const s of named(samples, `${histogram}_bucket`)) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const key = s.labels[label] ?? "";
    const bound = parseValue(le);
    const series = buckets.get(key) ?? new Map<number, number>();
    series.set(bound, (series.get(bound) ?? 0) + s.value);
    buckets.set(key, series);
  }
  const out: Record<string, number> = {};
  for (const [key, series] of buckets) {
    const sorted = [...series.entries()].sort((a, b) => a[0] - b[0]);
    const total = sorted[sorted.length - 1]?.[1] ?? 0;
    if (total === 0) continue;
    const rank = q * total;
    let prevBound = 0;
    let prevCount = 0;
    for (const [bound, cumulative] of sorted) {
      if (cumulative >= rank) {
        if (bound === Number.POSITIVE_INFINITY) {
          out[key] = prevBound;
        } else {
          const inBucket = cumulative - prevCount;
          out[key] = inBucket === 0 ? bound : prevBound + (bound - prevBound) * ((rank - prevCount) / inBucket);
        }
        break;
      }
      prevBound = bound;
      prevCount = cumulative;
    }
  }
  return out;
}
