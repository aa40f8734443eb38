import { describe, expect, it } from "vitest";
import { encodeTraces } from "./otlp.ts";
import { endSpan, SpanCollector, SpanKind } from "./span.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("OTLP/HTTP JSON encoding", () => {
  it("encodes ResourceSpans with service.name, hex ids, nanosecond strings, kinds and typed attributes", () => {
    const collector = new SpanCollector(TRACE, "00f067aa0ba902b7");
    const server = collector.start({
      name: "GET /api/products/:idOrSlug",
      kind: SpanKind.server,
      spanId: "00f067aa0ba902b7",
      parentSpanId: "b7ad6b7169203331",
      startMs: 1_764_000_000_123,
      attributes: { "http.route": "/api/products/:idOrSlug", "http.response.status_code": 200, ratio: 0.5, cached: true },
    });
    const db = collector.start({ name: "SELECT", kind: SpanKind.client, startMs: 1_764_000_000_125 });
    endSpan(db, new Error("boom"));
    server!.endMs = 1_764_000_000_130;
    const body = encodeTraces(collector.finished(), { "service.name": "edge-commerce" });

    expect(body.resourceSpans).toHaveLength(1);
    const [resource] = body.resourceSpans;
    expect(resource!.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "edge-commerce" } }]);
    expect(resource!.scopeSpans).toHaveLength(1);
    const [first, second] = resource!.scopeSpans[0]!.spans;
    expect(first).toEqual({
      traceId: TRACE,
      spanId: "00f067aa0ba902b7",
      parentSpanId: "b7ad6b7169203331",
      name: "GET /api/products/:idOrSlug",
      kind: 2,
      startTimeUnixNano: "1764000000123000000",
      endTimeUnixNano: "1764000000130000000",
      attributes: [
        { key: "http.route", value: { stringValue: "/api/products/:idOrSlug" } },
        { key: "http.response.status_code", value: { intValue: "200" } },
        { key: "ratio", value: { doubleValue: 0.5 } },
        { key: "cached", value: { boolValue: true } },
      ],
      status: { code: 0 },
    });
    expect(second).toMatchObject({
      traceId: TRACE,
      parentSpanId: "00f067aa0ba902b7",
      kind: 3,
      status: { code: 2, message: "Error: boom" },
    });
    expect(second!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(BigInt(second!.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(second!.startTimeUnixNano));
    // A root span has no parentSpanId field at all.
    const root = new SpanCollector(TRACE, null);
    root.start({ name: "root", kind: SpanKind.internal });
    expect(encodeTraces(root.finished(), {}).resourceSpans[0]!.scopeSpans[0]!.spans[0]).not.toHaveProperty("parentSpanId");
  });

  it("bounds the spans one collector keeps", () => {
    const collector = new SpanCollector(TRACE, null);
    for (let i = 0; i < 600; i++) collector.start({ name: `s${i}`, kind: SpanKind.internal });
    expect(collector.spans).toHaveLength(512);
    expect(collector.dropped).toBe(88);
  });
});
