import {
  AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { storeMetricProducer } from "../../src/telemetry/export/otlp-export.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { countLineRead, countLineRejected, forgetFile, setFileUnread } from "../../src/telemetry/recording/self-metrics.ts";
import { SCENARIOS, T0 } from "./scenario-events.ts";

const allEvents = () => Object.values(SCENARIOS).flat().sort((a, b) => a.ts - b.ts);

describe("MetricStore", () => {
  it("puts histogram samples in OTel buckets, upper bound inclusive", () => {
    const store = new MetricStore();
    for (const v of [0, 5, 5.5, 10000, 10001]) store.observe("openclaw.webhook.duration_ms", v, { "openclaw.channel": "t", "openclaw.webhook": "m" });
    const h = store.snapshotState().metrics[0]?.series[0]?.hist;
    expect(h?.counts).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect([h?.count, h?.sum, h?.min, h?.max]).toEqual([5, 20011.5, 0, 10001]);
  });

  it("ignores negative counter increments and rejects a wrong kind", () => {
    const store = new MetricStore();
    store.add("openclaw.cost.usd", -1, {});
    store.add("openclaw.cost.usd", Number.NaN, {});
    expect(store.listMetrics()).toHaveLength(0);
    expect(() => store.set("openclaw.tokens", 1, {})).toThrow(/is a counter/);
  });

  it("restart_resumes: snapshot, JSON round trip and restore continue exactly like one run", () => {
    const events = allEvents();
    const cut = Math.floor(events.length / 2);
    const whole = new MetricStore({ now: () => T0 });
    for (const ev of events) countEvent(whole, ev);

    const first = new MetricStore({ now: () => T0 });
    for (const ev of events.slice(0, cut)) countEvent(first, ev);
    countLineRead(first, "log");
    const saved = JSON.parse(JSON.stringify(first.snapshotState()));
    // Same clock: a metric first seen after the restart would otherwise (rightly) start later.
    const second = new MetricStore({ now: () => T0 });
    second.restoreState(saved);
    for (const ev of events.slice(cut)) countEvent(second, ev);
    countLineRead(whole, "log");

    const now = T0 + 7_200_000;
    expect(second.toScopeMetrics(now)).toEqual(whole.toScopeMetrics(now));
    expect(renderPrometheus(second)).toBe(renderPrometheus(whole));
    expect(second.snapshotState()).toEqual(whole.snapshotState());
  });

  it("keeps each metric's start time across a restart", () => {
    const first = new MetricStore({ now: () => T0 });
    first.add("openclaw.tokens", 5, { "openclaw.token": "input" });
    const second = new MetricStore({ now: () => T0 + 60_000 });
    second.restoreState(JSON.parse(JSON.stringify(first.snapshotState())));
    second.add("openclaw.tokens", 1, { "openclaw.token": "input" });
    const point = second.toScopeMetrics(T0 + 120_000).metrics[0]?.dataPoints[0];
    expect(point?.startTime).toEqual([Math.floor(T0 / 1000), 0]);
    expect(point?.value).toBe(6);
  });

  it("rejects a state of another version with a clear error", () => {
    const store = new MetricStore();
    expect(() => store.restoreState({ version: 2, metrics: [], active: {} })).toThrow(/version 2 is not supported \(expected 1\)/);
    expect(() => store.restoreState({ version: 1, metrics: [{ name: 1 }] })).toThrow(/malformed/);
  });

  it("drops a series of a gauge for a file no longer followed", () => {
    const store = new MetricStore();
    setFileUnread(store, "openclaw-2026-09-10.log", 100);
    setFileUnread(store, "openclaw-2026-09-11.log", 0);
    forgetFile(store, "openclaw-2026-09-10.log");
    countLineRejected(store, "diagnostics", "invalid_json");
    const text = renderPrometheus(store);
    expect(text).not.toContain("2026-09-10");
    expect(text).toContain('openclaw_sidecar_file_unread_bytes{openclaw_file="openclaw-2026-09-11.log"} 0');
    expect(text).toContain('openclaw_sidecar_lines_rejected_total{openclaw_reason="invalid_json",openclaw_source="diagnostics"} 1');
  });

  it("exports through a real SDK reader as cumulative data in scope openclaw", async () => {
    const store = new MetricStore({ now: () => T0 });
    for (const ev of SCENARIOS.model_usage ?? []) countEvent(store, ev);
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, metricProducers: [storeMetricProducer(store, () => T0 + 60_000)] });
    const provider = new MeterProvider({ readers: [reader] });
    await reader.forceFlush();
    const scope = exporter.getMetrics()[0]?.scopeMetrics.find((s) => s.scope.name === "openclaw");
    const tokens = scope?.metrics.find((m) => m.descriptor.name === "openclaw.tokens");
    expect(tokens?.dataPointType).toBe(DataPointType.SUM);
    expect(tokens?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    const total = tokens?.dataPoints.find((p) => p.attributes["openclaw.token"] === "total" && p.attributes["openclaw.provider"] === "anthropic");
    expect(total?.value).toBe(2300);
    const run = scope?.metrics.find((m) => m.descriptor.name === "openclaw.run.duration_ms");
    expect(run?.descriptor.unit).toBe("ms");
    expect(run?.dataPointType).toBe(DataPointType.HISTOGRAM);
    await provider.shutdown();
  });
});
