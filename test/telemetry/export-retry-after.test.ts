/**
 * export_retry_after and spans_dropped_counted: a collector answering 429 with `Retry-After: 2`
 * used to get a metric POST at every interval (34 in 30 s); the next export of that signal now
 * waits for the delay. Spans whose export failed (collector down) used to vanish without a
 * count; they are now counted by number. Counts are compared with the number of collections in
 * the same run, never with an absolute time.
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

/** A collector that answers every POST with 429 and `Retry-After: <seconds>`. */
function tooManyRequests(seconds: string): Promise<{ server: Server; url: string; posts: string[] }> {
  const posts: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      posts.push(req.url ?? "");
      res.writeHead(429, { "retry-after": seconds, "content-type": "text/plain" });
      res.end("slow down");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts });
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
    while (collections < 20) await settle(50);
    await otlp.shutdown();
    const posts = collector.posts.filter((p) => p === "/v1/metrics").length;
    expect(posts).toBeGreaterThanOrEqual(1);
    // 20 collections at 150 ms span ~3 s: with a 2 s Retry-After about 2 POSTs, not 20.
    expect(posts / collections, `${posts} POSTs for ${collections} collections`).toBeLessThan(0.3);
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
