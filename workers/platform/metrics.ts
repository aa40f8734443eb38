/**
 * The metrics registry: counters and histograms with labels, kept per
 * isolate and rendered as Prometheus text (`/api/metrics`). Every name is
 * declared once here or by its owner with `counter(...)`/`histogram(...)`,
 * and the same names go to Workers Analytics Engine in production
 * (docs/operability.md), so dashboards read one vocabulary.
 */
type Labels = Readonly<Record<string, string>>;

/** A metric's series are capped, so a label fed by input can never grow memory without bound. */
const MAX_SERIES = 2000;
const PREFIX = "edge_commerce_";

function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`)
    .join(",");
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

interface Metric {
  readonly name: string;
  readonly help: string;
  render(): string[];
}

const registry = new Map<string, Metric>();

function register<M extends Metric>(metric: M): M {
  const known = registry.get(metric.name);
  if (known) return known as unknown as M;
  registry.set(metric.name, metric);
  return metric;
}

export class Counter implements Metric {
  private readonly series = new Map<string, number>();
  private readonly labelsOf = new Map<string, Labels>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(labels);
    if (!this.series.has(key)) {
      if (this.series.size >= MAX_SERIES) return;
      this.labelsOf.set(key, { ...labels });
    }
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  /** Every series with its labels (the SLO evaluation sums them by its own grouping). */
  entries(): { labels: Labels; value: number }[] {
    return [...this.series].map(([key, value]) => ({ labels: this.labelsOf.get(key) ?? {}, value }));
  }

  value(labels: Labels = {}): number {
    return this.series.get(seriesKey(labels)) ?? 0;
  }

  render(): string[] {
    return [...this.series].map(([key, v]) => `${this.name}${key ? `{${key}}` : ""} ${v}`);
  }
}

interface HistogramSeries {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly series = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = seriesKey(labels);
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_SERIES) return;
      s = { labels: { ...labels }, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.bounds.forEach((bound, i) => {
      if (value <= bound) s.buckets[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
  }

  count(labels: Labels): number {
    return this.series.get(seriesKey(labels))?.count ?? 0;
  }

  /** Every series: its labels, its count, and how many observations were at most `bound` (one of the bucket bounds). */
  entries(bound: number): { labels: Labels; count: number; atMost: number }[] {
    // The greatest bucket bound not above `bound`: a budget between two bounds counts only what surely met it.
    const i = this.bounds.findLastIndex((b) => b <= bound);
    return [...this.series.values()].map((s) => ({ labels: s.labels, count: s.count, atMost: i < 0 ? 0 : s.buckets[i]! }));
  }

  render(): string[] {
    const lines: string[] = [];
    for (const [key, s] of this.series) {
      const sep = key ? `${key},` : "";
      this.bounds.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{${sep}le="${bound}"} ${s.buckets[i]}`);
      });
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ""} ${s.sum}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ""} ${s.count}`);
    }
    return lines;
  }
}

/** A metric declared by its owner, found by its name without the prefix (the SLO evaluation reads them this way). */
export function registeredMetric(name: string): Counter | Histogram | undefined {
  const metric = registry.get(`${PREFIX}${name}`);
  return metric instanceof Counter || metric instanceof Histogram ? metric : undefined;
}

/** A counter of this isolate (the name gets the shop's prefix). */
export function counter(name: string, help: string): Counter {
  return register(new Counter(`${PREFIX}${name}`, help));
}

/** Seconds buckets from 5 ms to 10 s: the request budget of a Worker. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export function histogram(name: string, help: string, bounds: readonly number[] = DURATION_BUCKETS): Histogram {
  return register(new Histogram(`${PREFIX}${name}`, help, bounds));
}

/** A value read when metrics are scraped (a gauge whose truth lives elsewhere, such as the outage watch). */
export interface GaugeSample {
  name: string;
  help: string;
  value: number;
  labels?: Labels;
}

/** The registry and any scrape-time gauges in the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(gauges: readonly GaugeSample[] = []): string {
  const out: string[] = [];
  for (const metric of registry.values()) {
    const type = metric instanceof Histogram ? "histogram" : "counter";
    out.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${type}`, ...metric.render());
  }
  const seen = new Set<string>();
  for (const g of gauges) {
    const name = `${PREFIX}${g.name}`;
    if (!seen.has(name)) out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
    seen.add(name);
    const key = seriesKey(g.labels ?? {});
    out.push(`${name}${key ? `{${key}}` : ""} ${g.value}`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * The platform's own metrics: answers by problem code (503s by cause among
 * them) and stale copies served while the database is unavailable.
 */
export const problemsTotal = counter("http_problems_total", "Problem answers by stable code and status");
export const staleServedTotal = counter("last_good_served_total", "Stale last-good copies served while the database was unavailable");

/** RED metrics of every request, by route template (never the raw path: ids would make a series each). */
export const httpRequestsTotal = counter("http_requests_total", "HTTP requests by route template, method and status");
export const httpRequestDuration = histogram("http_request_duration_seconds", "HTTP request duration by route template and method");

/** The Analytics Engine dataset binding the same observations are written to when bound (production). */
export const METRICS_DATASET = "METRICS";
