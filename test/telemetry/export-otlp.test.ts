import { context, SpanStatusCode, trace, TraceFlags, ValueType } from "@opentelemetry/api";
import { AggregationTemporality, DataPointType, type ScopeMetrics } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { startOtlpExport } from "../../src/telemetry/otlp-export.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

// Stand-in for MetricStore.toScopeMetrics(nowMs): cumulative points as the store hands them over.
const START_MS = Date.UTC(2026, 10, 21, 10, 0, 0);
function hr(ms: number): [number, number] {
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}
function fixedScopeMetrics(nowMs: number): ScopeMetrics {
  const times = { startTime: hr(START_MS), endTime: hr(nowMs) };
  return {
    scope: { name: "openclaw" },
    metrics: [
      {
        descriptor: { name: "openclaw.tokens", description: "Tokens by type.", unit: "1", valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: [
          { ...times, attributes: { "openclaw.token": "input", "openclaw.provider": "anthropic", "openclaw.model": "claude-opus-4-6" }, value: 1234 },
          { ...times, attributes: { "openclaw.token": "output", "openclaw.provider": "anthropic", "openclaw.model": "claude-opus-4-6" }, value: 56.5 },
        ],
      },
      {
        descriptor: { name: "openclaw.run.duration_ms", description: "Agent run duration.", unit: "ms", valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [
          { ...times, attributes: { "openclaw.provider": "openai" }, value: { buckets: { boundaries: [100, 1000], counts: [1, 2, 0] }, count: 3, sum: 1650, min: 50, max: 900 } },
        ],
      },
      {
        descriptor: { name: "openclaw.auth.cooldown.active", description: "Profiles in a window.", unit: "{profile}", valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: [{ ...times, attributes: { "openclaw.provider": "google", "openclaw.window": "cooldown" }, value: 2 }],
      },
    ],
  };
}

const LOG_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const LOG_SPAN_ID = "00f067aa0ba902b7";

for (const protocol of ["http/json", "http/protobuf"] as const) {
  describe(`otlp_export_${protocol.replace("http/", "")}`, () => {
    let receiver: OtlpReceiver;
    const failures: string[] = [];
    let exporter: ReturnType<typeof startOtlpExport>;

    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      const cfg = parseConfig(["--host-name", "gw-1", "--profile", "work"], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_HEADERS: "x-test-token=abc%20123",
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-signal=traces",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test,service.name=overridden",
      });
      exporter = startOtlpExport(cfg, { produce: () => fixedScopeMetrics(Date.now()), onExportFailure: (s) => failures.push(s) });

      // A span continuing the trace named by a log line, back-dated by its duration, with an error.
      const endMs = Date.now();
      const remote = trace.setSpanContext(context.active(), { traceId: LOG_TRACE_ID, spanId: LOG_SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
      const span = exporter.tracer.startSpan("openclaw.message.processed", { startTime: endMs - 1500, attributes: { "openclaw.outcome": "error", "openclaw.channel": "telegram" } }, remote);
      span.setStatus({ code: SpanStatusCode.ERROR, message: "provider timeout" });
      span.end(endMs);
      exporter.tracer.startSpan("openclaw.model.usage", { startTime: endMs - 200, attributes: { "openclaw.tokens.total": 42 } }).end(endMs);
      await exporter.forceFlush();
      await receiver.waitFor(() => receiver.metrics.length >= 3 && receiver.spans.length >= 2);
    }, 15_000);

    afterAll(async () => {
      await exporter?.shutdown();
      await receiver?.close();
    });

    it("posts to the signal paths with the configured headers and content type", () => {
      const paths = receiver.requests.map((r) => r.path).sort();
      expect(paths).toEqual(["/v1/metrics", "/v1/traces"]);
      const type = protocol === "http/json" ? "application/json" : "application/x-protobuf";
      for (const r of receiver.requests) {
        expect(r.contentType).toBe(type);
        expect(r.headers["x-test-token"]).toBe("abc 123");
      }
      expect(receiver.requests.find((r) => r.path === "/v1/traces")?.headers["x-signal"]).toBe("traces");
      expect(receiver.requests.find((r) => r.path === "/v1/metrics")?.headers["x-signal"]).toBeUndefined();
      expect(failures).toEqual([]);
    });

    it("carries service, host and profile on the resource and no instance id", () => {
      for (const item of [...receiver.metrics, ...receiver.spans]) {
        expect(item.resource["service.name"]).toBe("openclaw");
        expect(item.resource["host.name"]).toBe("gw-1");
        expect(item.resource["openclaw.profile"]).toBe("work");
        expect(item.resource["deployment.environment"]).toBe("test");
        expect(item.resource).not.toHaveProperty("service.instance.id");
      }
    });

    it("exports the store's cumulative points with names, units and values intact", () => {
      const byName = new Map(receiver.metrics.map((m) => [m.name, m]));
      const tokens = byName.get("openclaw.tokens");
      expect(tokens).toMatchObject({ type: "sum", monotonic: true, temporality: "cumulative", unit: "1", scope: "openclaw" });
      expect(tokens?.points.map((p) => [p.attributes["openclaw.token"], p.value]).sort()).toEqual([["input", 1234], ["output", 56.5]]);
      expect(tokens?.points[0]?.startTimeUnixNano).toBe(`${START_MS}000000`);
      const runs = byName.get("openclaw.run.duration_ms");
      expect(runs).toMatchObject({ type: "histogram", unit: "ms", temporality: "cumulative" });
      expect(runs?.points[0]).toMatchObject({ count: 3, sum: 1650, bucketCounts: [1, 2, 0], explicitBounds: [100, 1000], attributes: { "openclaw.provider": "openai" } });
      const cooldown = byName.get("openclaw.auth.cooldown.active");
      expect(cooldown).toMatchObject({ type: "gauge", unit: "{profile}" });
      expect(cooldown?.points[0]).toMatchObject({ value: 2, attributes: { "openclaw.window": "cooldown" } });
    });

    it("exports spans back-dated, parented to the log's trace, with status and attributes", () => {
      const processed = receiver.spans.find((s) => s.name === "openclaw.message.processed");
      expect(processed).toBeDefined();
      expect(processed!.traceId).toBe(LOG_TRACE_ID);
      expect(processed!.parentSpanId).toBe(LOG_SPAN_ID);
      expect(processed!.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(processed!.endTimeUnixNano) - BigInt(processed!.startTimeUnixNano)).toBe(1_500_000_000n);
      expect(processed!.status).toEqual({ code: "error", message: "provider timeout" });
      expect(processed!.attributes).toMatchObject({ "openclaw.outcome": "error", "openclaw.channel": "telegram" });
      const usage = receiver.spans.find((s) => s.name === "openclaw.model.usage");
      expect(usage?.parentSpanId).toBe("");
      expect(usage?.traceId).not.toBe(LOG_TRACE_ID);
      expect(usage?.attributes["openclaw.tokens.total"]).toBe(42);
      expect(usage?.scope).toBe("openclaw");
    });

    it("counts a rejected export per signal and keeps running", async () => {
      const before = receiver.requests.length;
      receiver.failNext(2);
      exporter.tracer.startSpan("openclaw.webhook.processed").end();
      await exporter.forceFlush();
      await receiver.waitFor(() => receiver.requests.length >= before + 2);
      expect(failures.sort()).toEqual(["metrics", "traces"]);
      // The next export goes through again and still carries the full cumulative totals.
      const metricsBefore = receiver.metrics.length;
      await exporter.forceFlush();
      await receiver.waitFor(() => receiver.metrics.length >= metricsBefore + 3);
      expect(receiver.metrics.slice(metricsBefore).find((m) => m.name === "openclaw.tokens")?.points).toHaveLength(2);
    }, 15_000);
  });
}

describe("otlp_export_without_endpoint", () => {
  it("hands out a tracer that records nothing and shuts down cleanly", async () => {
    const failures: string[] = [];
    const exporter = startOtlpExport(parseConfig([], {}), { produce: () => fixedScopeMetrics(Date.now()), onExportFailure: (s) => failures.push(s) });
    const span = exporter.tracer.startSpan("openclaw.model.usage");
    expect(span.isRecording()).toBe(false);
    span.end();
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(failures).toEqual([]);
  });
});
