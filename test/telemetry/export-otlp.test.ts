import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { METRIC_BY_NAME } from "../../src/telemetry/naming/catalogue.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { buildResource, resourceAttributes, startOtlpExport } from "../../src/telemetry/export/otlp-export.ts";
import { spanForEvent } from "../../src/telemetry/recording/spans.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

const START_MS = Date.UTC(2026, 10, 21, 10, 0, 0);
/** The real store, with a counter, a histogram and a gauge in it. */
function filledStore(): MetricStore {
  const store = new MetricStore({ now: () => START_MS, strictKeys: true });
  const who = { "openclaw.provider": "anthropic", "openclaw.model": "claude-opus-4-6", "openclaw.channel": "telegram" };
  store.add("openclaw.tokens", 1000, { ...who, "openclaw.token": "input" });
  store.add("openclaw.tokens", 234, { ...who, "openclaw.token": "input" });
  store.add("openclaw.tokens", 56.5, { ...who, "openclaw.token": "output" });
  for (const ms of [50, 700, 900]) store.observe("openclaw.run.duration_ms", ms, who);
  store.set("openclaw.auth.cooldown.active", 2, { "openclaw.provider": "google", "openclaw.window": "cooldown" });
  return store;
}
const RUN_BOUNDS = [...(METRIC_BY_NAME.get("openclaw.run.duration_ms")?.buckets ?? [])];
/** Expected cumulative-free bucket counts for samples 50, 700, 900 over the catalogue's bounds. */
const RUN_COUNTS = [...RUN_BOUNDS, Infinity].map((le, i) => [50, 700, 900].filter((v) => v <= le && (i === 0 || v > (RUN_BOUNDS[i - 1] as number))).length);

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
      const store = filledStore();
      exporter = startOtlpExport(cfg, { produce: () => store.toScopeMetrics(Date.now()), onExportFailure: (s) => failures.push(s) });

      // A span built by spans.ts from an event whose log line carried W3C trace context.
      const endMs = Date.now();
      const processed: OpenClawEvent = {
        type: "message.processed", ts: endMs, origin: "jsonl", profile: "work", traceId: LOG_TRACE_ID, spanId: LOG_SPAN_ID,
        channel: "telegram", outcome: "error", error: "provider timeout", durationMs: 1500, sessionId: "s-secret-1",
      };
      spanForEvent(exporter.tracer, processed);
      // And one made directly on the tracer: a root span with a numeric attribute.
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
      expect(tokens?.points[0]?.attributes).toMatchObject({ "openclaw.provider": "anthropic", "openclaw.model": "claude-opus-4-6" });
      expect(tokens?.points[0]?.startTimeUnixNano).toBe(`${START_MS}000000`);
      const runs = byName.get("openclaw.run.duration_ms");
      expect(runs).toMatchObject({ type: "histogram", unit: "ms", temporality: "cumulative" });
      expect(runs?.points[0]).toMatchObject({ count: 3, sum: 1650, bucketCounts: RUN_COUNTS, explicitBounds: RUN_BOUNDS, attributes: { "openclaw.provider": "anthropic" } });
      expect(RUN_COUNTS.reduce((a, b) => a + b)).toBe(3);
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
      expect(JSON.stringify(processed!.attributes)).not.toContain("s-secret-1");
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
    const exporter = startOtlpExport(parseConfig([], {}), { produce: () => filledStore().toScopeMetrics(Date.now()), onExportFailure: (s) => failures.push(s) });
    const span = exporter.tracer.startSpan("openclaw.model.usage");
    expect(span.isRecording()).toBe(false);
    span.end();
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(failures).toEqual([]);
  });
});

describe("otlp_resource", () => {
  it("gives the default profile no openclaw.profile attribute, as /metrics gives it no label", () => {
    const attrs = resourceAttributes(parseConfig(["--host-name", "h"], { OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=fixed-1" }));
    expect(attrs).not.toHaveProperty("openclaw.profile");
    expect(attrs).toMatchObject({ "service.name": "openclaw", "host.name": "h", "service.instance.id": "fixed-1" });
    // The exported resource adds the SDK's own attributes on top of the identity ones.
    const cfg = parseConfig(["--host-name", "h"], {});
    expect(buildResource(cfg).attributes).toMatchObject({ "service.name": "openclaw", "host.name": "h", "telemetry.sdk.language": "nodejs" });
    expect(resourceAttributes(parseConfig(["--profile", "dev"], {}))["openclaw.profile"]).toBe("dev");
  });
});
