import { describe, expect, it } from "vitest";
import { errorRate, named, parsePrometheus, quantileBy, ratePerSecond, totalBy } from "./prometheus.ts";

const TEXT = `# HELP edge_commerce_http_requests_total HTTP requests by route template, method and status
# TYPE edge_commerce_http_requests_total counter
edge_commerce_http_requests_total{method="GET",route="/api/products",status="200"} 90
edge_commerce_http_requests_total{method="POST",route="/api/orders",status="201"} 6
edge_commerce_http_requests_total{method="POST",route="/api/orders",status="503"} 4
# TYPE edge_commerce_http_request_duration_seconds histogram
edge_commerce_http_request_duration_seconds_bucket{method="GET",route="/api/products",le="0.1"} 50
edge_commerce_http_request_duration_seconds_bucket{method="GET",route="/api/products",le="0.5"} 90
edge_commerce_http_request_duration_seconds_bucket{method="GET",route="/api/products",le="+Inf"} 90
edge_commerce_http_request_duration_seconds_sum{method="GET",route="/api/products"} 12.5
edge_commerce_http_request_duration_seconds_count{method="GET",route="/api/products"} 90
edge_commerce_http_request_duration_seconds_bucket{method="POST",route="/api/orders",le="0.1"} 0
edge_commerce_http_request_duration_seconds_bucket{method="POST",route="/api/orders",le="0.5"} 2
edge_commerce_http_request_duration_seconds_bucket{method="POST",route="/api/orders",le="+Inf"} 10
edge_commerce_database_up 1
edge_commerce_odd{note="a \\"quoted\\" value, with a comma"} 2 1700000000000
not a sample line
edge_commerce_broken{unclosed="x} 3
`;

describe("parsePrometheus", () => {
  const scrape = parsePrometheus(TEXT);

  it("reads samples with their labels, escapes, timestamps and +Inf, and skips malformed lines", () => {
    expect(scrape.samples).toHaveLength(13);
    expect(scrape.samples[0]).toEqual({
      name: "edge_commerce_http_requests_total",
      labels: { method: "GET", route: "/api/products", status: "200" },
      value: 90,
    });
    expect(scrape.samples.find((s) => s.name === "edge_commerce_odd")).toEqual({
      name: "edge_commerce_odd",
      labels: { note: 'a "quoted" value, with a comma' },
      value: 2,
    });
    expect(scrape.samples.find((s) => s.name === "edge_commerce_database_up")?.labels).toEqual({});
    expect(scrape.samples.some((s) => s.name.includes("broken"))).toBe(false);
  });

  it("keeps each family's type and help", () => {
    expect(scrape.families).toContainEqual({
      name: "edge_commerce_http_requests_total",
      type: "counter",
      help: "HTTP requests by route template, method and status",
    });
    expect(scrape.families.find((f) => f.name === "edge_commerce_http_request_duration_seconds")?.type).toBe("histogram");
  });

  it("adds requests up by status and gives the share of 5xx", () => {
    const byStatus = totalBy(named(scrape.samples, "http_requests_total"), "status");
    expect(byStatus).toEqual({ "200": 90, "201": 6, "503": 4 });
    expect(errorRate(byStatus)).toBeCloseTo(0.04);
    expect(errorRate({})).toBeNull();
  });

  it("interpolates the p95 per route inside its bucket, and stops at the last finite bound for +Inf", () => {
    const p95 = quantileBy(scrape.samples, "http_request_duration_seconds", "route", 0.95);
    // 85.5 of 90 requests: past the 50 at 0.1 s, 35.5 of the 40 between 0.1 and 0.5 s.
    expect(p95["/api/products"]).toBeCloseTo(0.1 + 0.4 * (35.5 / 40));
    // 9.5 of 10 falls in +Inf: the answer is the largest bound known, 0.5 s.
    expect(p95["/api/orders"]).toBe(0.5);
    expect(quantileBy(scrape.samples, "http_request_duration_seconds", "route", 0.5)["/api/products"]).toBeCloseTo(0.1 * (45 / 50));
  });

  it("gives a rate between two scrapes, and none after a reset", () => {
    expect(ratePerSecond(100, 130, 15)).toBe(2);
    expect(ratePerSecond(undefined, 130, 15)).toBeNull();
    expect(ratePerSecond(130, 10, 15)).toBeNull();
  });
});
