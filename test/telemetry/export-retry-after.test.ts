/**
 * export_retry_after and spans_dropped_counted: a collector answering 429 with `Retry-After: 2`
 * used to get a metric POST at every interval (34 in 30 s); the next export of that signal now
 * waits for the delay. Spans whose export failed (collector down) used to vanish without a
 * count; they are now counted by number. The hold is checked as the gap between POSTs the
 * collector saw (never sooner than it asked), not as a ratio of timed exports.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { parseConfig } from "../../src/config/config.ts";
import { gatedSpanExporter, MAX_RETRY_AFTER_MS, RetryGate } from "../../src/telemetry/export/export-gate.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { startOtlpExport } from "../../src/telemetry/export/otlp-export.ts";
import { waitUntil } from "../sidecar/helpers.ts";

/** A collector that answers every POST with 429 and `Retry-After: <seconds>`. */
function tooManyRequests(seconds: string): Promise<{ server: Server; url: string; posts: string[]; times: number[] }> {
  const posts: string[] = [];
  const times: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      posts.push(req.url ?? "");
      times.push(performance.now());
      res.writeHead(429, { "retry-after": seconds, "content-type": "text/plain" });
      res.end("slow down");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts, times });
  }));
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("export_retry_after", () => {
  let collector: Awaited<ReturnType<typeof tooManyRequests>>;
  beforeAll(async () => { collector = await tooManyRequests("2"); });
  afterAll(() => new Promise<void>((r) => collector.server.close(() => r())));

  it("holds the next metric exports for the collector's Retry-After instead of posting every interval", async () => {
    const cfg = parseConfig([], { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_METRIC_EXPORT_INTERVAL: "1000" });
    const store = new MetricStore();
    store.add("openclaw.webhook.received", 1, { "openclaw.channel": "telegram", "openclaw.webhook": "message" });
    let collections = 0;
    const failures: string[] = [];
    // A short interval so the run is short; the bound is a ratio to the collections made.
    const otlp = startOtlpExport({ ...cfg, metricExportIntervalMs: 150 }, {
      produce: () => { collections++; return store.toScopeMetrics(Date.now()); },
      onExportFailure: (s) => failures.push(s),
    });
    // Not a ratio of timed exports: the collector asked for 2 s, and that bounds the POSTs it
    // sees however fast or slow this machine runs the 150 ms interval. Wait (bounded, failing by
    // name) for three POSTs: the first, and the exports after it resumed.
    const metricTimes = () => collector.times.filter((_, i) => collector.posts[i] === "/v1/metrics");
    await waitUntil("a third metric POST (the export resuming after each Retry-After)", () => metricTimes().length >= 3, 15_000);
    await otlp.shutdown();
    const times = metricTimes();
    const posts = times.length;
    // When a hold ends two POSTs go out together: the SDK's own retry of the 429'd export (it
    // honours Retry-After itself) and the next export the gate held. So at most two POSTs in any
    // 2 s window, where posting every 150 ms interval would make about thirteen. 20 ms of slack
    // for the 429's way back to the client, whose clock starts the hold.
    const spans = times.slice(2).map((t, i) => Math.round(t - times[i]!));
    for (const span of spans) expect(span, `time from each metric POST to the one after next: ${spans.join(", ")} ms`).toBeGreaterThanOrEqual(2000 - 20);
    // The interval went on meanwhile: collections were held, not posted.
    expect(collections, `${posts} POSTs for ${collections} collections`).toBeGreaterThan(posts);
    // A held export is not a failure: only exports that posted and got 429s are counted (the
    // SDK's own retries inside one export, after the same Retry-After, are one failure).
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(posts);
  }, 20_000);

  it("reads seconds and HTTP dates, and caps the delay at 5 minutes", () => {
    let now = 1_000_000;
    const gate = new RetryGate(() => now);
    gate.note(2000);
    expect(gate.waitMs()).toBe(2000);
    gate.note(-1);
    gate.note(undefined);
    expect(gate.waitMs()).toBe(2000);
    gate.note(3_600_000);
    expect(gate.waitMs()).toBe(MAX_RETRY_AFTER_MS);
    now += MAX_RETRY_AFTER_MS;
    expect(gate.waitMs()).toBe(0);
  });
});

describe("spans_dropped_counted", () => {
  const spans = (n: number) => Array.from({ length: n }, () => ({}) as ReadableSpan);
  const failing = (calls: number[]): SpanExporter => ({
    export: (batch, done) => { calls.push(batch.length); done({ code: ExportResultCode.FAILED }); },
    shutdown: async () => {},
  });

  it("counts every span of a failed export, and of a batch held past its wait", async () => {
    const calls: number[] = [], dropped: number[] = [];
    let failures = 0;
    const gate = new RetryGate();
    const exporter = gatedSpanExporter(failing(calls), gate, () => failures++, (n) => dropped.push(n));
    const result = await new Promise<ExportResult>((r) => exporter.export(spans(7), r));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect({ calls, dropped, failures }).toEqual({ calls: [7], dropped: [7], failures: 1 });
    gate.note(60_000);
    await new Promise<ExportResult>((r) => exporter.export(spans(3), r));
    expect({ calls, dropped, failures }).toEqual({ calls: [7], dropped: [7, 3], failures: 1 });
  });

  it("lets a batch wait out a short Retry-After and then sends it", async () => {
    const calls: number[] = [], dropped: number[] = [];
    const gate = new RetryGate();
    const ok: SpanExporter = { export: (b, done) => { calls.push(b.length); done({ code: ExportResultCode.SUCCESS }); }, shutdown: async () => {} };
    const exporter = gatedSpanExporter(ok, gate, () => {}, (n) => dropped.push(n));
    gate.note(30);
    const result = await new Promise<ExportResult>((r) => exporter.export(spans(4), r));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect({ calls, dropped }).toEqual({ calls: [4], dropped: [] });
  });

  it("counts spans read while the collector is down, end to end", async () => {
    // A port that refuses connections: bind, note the port, close.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const cfg = parseConfig([], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` });
    const dropped: number[] = [];
    const otlp = startOtlpExport(cfg, { produce: () => new MetricStore().toScopeMetrics(Date.now()), onExportFailure: () => {}, onSpansDropped: (n) => dropped.push(n) });
    for (let i = 0; i < 5; i++) otlp.tracer.startSpan("openclaw.webhook.error").end();
    await otlp.forceFlush();
    await otlp.shutdown();
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(5);
  }, 30_000);
});
