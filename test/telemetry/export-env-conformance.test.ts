/**
 * OTEL_* variables of the SDK environment specification that pick exporters, timeouts,
 * compression and temporality, as parseConfig reads them (docs/otel.md's conformance table
 * points here). What goes over the wire is proven against the real collector in
 * export-collector.test.ts.
 */
import { describe, expect, it, vi } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { startOtlpExport } from "../../src/telemetry/export/otlp-export.ts";

const BASE = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" };
function errorOf(fn: () => unknown): string {
  try { fn(); } catch (err) { expect(err).toBeInstanceOf(ConfigError); return (err as Error).message; }
  throw new Error("expected a ConfigError");
}

describe("OTEL_* environment conformance", () => {
  it("defaults to http/protobuf, a 10 s timeout, no compression, exporter otlp", () => {
    const cfg = parseConfig([], BASE);
    expect(cfg.export.metrics).toEqual({ exporter: "otlp", url: "http://c:4318/v1/metrics", protocol: "http/protobuf", headers: {}, timeoutMs: 10_000, compression: "none" });
    expect(cfg.export.traces?.url).toBe("http://c:4318/v1/traces");
  });

  it("OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER: none turns a signal off, console prints it", () => {
    const off = parseConfig([], { ...BASE, OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" });
    expect(off.export).toEqual({ metrics: null, traces: null });
    const onlyMetrics = parseConfig([], { ...BASE, OTEL_TRACES_EXPORTER: "none" });
    expect(onlyMetrics.export.traces).toBeNull();
    expect(onlyMetrics.export.metrics?.exporter).toBe("otlp");
    // Console needs no endpoint.
    const console = parseConfig([], { OTEL_TRACES_EXPORTER: "console", OTEL_METRICS_EXPORTER: "console" });
    expect(console.export.metrics).toMatchObject({ exporter: "console", url: "stdout" });
    expect(console.export.traces).toMatchObject({ exporter: "console" });
    // prometheus means the pull endpoint only: nothing is pushed.
    expect(parseConfig([], { ...BASE, OTEL_METRICS_EXPORTER: "prometheus" }).export.metrics).toBeNull();
    // none wins in a list; otlp wins over console when an endpoint is set.
    expect(parseConfig([], { ...BASE, OTEL_TRACES_EXPORTER: "otlp,none" }).export.traces).toBeNull();
    expect(parseConfig([], { ...BASE, OTEL_TRACES_EXPORTER: "console, otlp" }).export.traces?.exporter).toBe("otlp");
    expect(errorOf(() => parseConfig([], { OTEL_TRACES_EXPORTER: "zipkin" }))).toMatch(/--traces-exporter \(OTEL_TRACES_EXPORTER\).*unsupported exporter "zipkin"/);
  });

  it("OTEL_EXPORTER_OTLP_TIMEOUT and the per-signal variants", () => {
    const cfg = parseConfig([], { ...BASE, OTEL_EXPORTER_OTLP_TIMEOUT: "2500", OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "700" });
    expect(cfg.export.metrics?.timeoutMs).toBe(2500);
    expect(cfg.export.traces?.timeoutMs).toBe(700);
    expect(parseConfig([], { ...BASE, OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: "1234" }).export.metrics?.timeoutMs).toBe(1234);
    expect(errorOf(() => parseConfig([], { OTEL_EXPORTER_OTLP_TIMEOUT: "10s" }))).toMatch(/OTEL_EXPORTER_OTLP_TIMEOUT.*milliseconds/);
  });

  it("OTEL_EXPORTER_OTLP_COMPRESSION and the per-signal variants", () => {
    const cfg = parseConfig([], { ...BASE, OTEL_EXPORTER_OTLP_COMPRESSION: "gzip", OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: "none" });
    expect(cfg.export.traces?.compression).toBe("gzip");
    expect(cfg.export.metrics?.compression).toBe("none");
    expect(errorOf(() => parseConfig([], { OTEL_EXPORTER_OTLP_COMPRESSION: "zstd" }))).toMatch(/expected gzip or none/);
  });

  it("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative accepted, delta and lowmemory refused with the reason", () => {
    expect(parseConfig([], { ...BASE, OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "Cumulative" }).export.metrics).not.toBeNull();
    for (const v of ["delta", "lowmemory"]) {
      const msg = errorOf(() => parseConfig([], { ...BASE, OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: v }));
      expect(msg).toContain("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
      expect(msg).toContain(`"${v}" is not supported`);
      expect(msg).toContain("survive restarts");
    }
  });

  it("OTEL_SDK_DISABLED turns every pushed exporter off, console included", () => {
    expect(parseConfig([], { ...BASE, OTEL_METRICS_EXPORTER: "console", OTEL_SDK_DISABLED: "true" }).export).toEqual({ metrics: null, traces: null });
  });

  it("says at start-up what the exporter lists will not do: OTLP beside console, OTLP with no endpoint", () => {
    expect(parseConfig([], { ...BASE }).exportNotes).toEqual([]);
    // The default otlp with no endpoint is the /metrics-only install: nothing to say.
    expect(parseConfig([], {}).exportNotes).toEqual([]);
    expect(parseConfig([], { ...BASE, OTEL_METRICS_EXPORTER: "otlp,console" }).exportNotes)
      .toEqual(["OTEL_METRICS_EXPORTER=otlp,console: one exporter per signal, so metrics go over OTLP and not to the console"]);
    expect(parseConfig([], { OTEL_TRACES_EXPORTER: "otlp" }).exportNotes).toEqual([
      "OTEL_TRACES_EXPORTER=otlp asks for OTLP but no endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): no traces are exported; /metrics still serves everything",
    ]);
    // console alone prints: nothing to say; otlp,console without an endpoint prints but the OTLP part goes nowhere.
    expect(parseConfig([], { OTEL_METRICS_EXPORTER: "console" }).exportNotes).toEqual([]);
    expect(parseConfig([], { OTEL_METRICS_EXPORTER: "otlp,console" }).exportNotes[0]).toMatch(/^OTEL_METRICS_EXPORTER=otlp,console asks for OTLP but no endpoint is set/);
    expect(parseConfig([], { ...BASE, OTEL_SDK_DISABLED: "true", OTEL_METRICS_EXPORTER: "otlp,console" }).exportNotes).toEqual([]);
  });

  it("OTEL_SDK_DISABLED is a specification boolean: case-insensitive true, anything else false", () => {
    const on = parseConfig([], { ...BASE }).export;
    expect(on.metrics).not.toBeNull();
    for (const v of ["true", "TRUE", "True", " true "]) expect(parseConfig([], { ...BASE, OTEL_SDK_DISABLED: v }).export, v).toEqual({ metrics: null, traces: null });
    for (const v of ["false", "FALSE", "1", "0", "yes", "on"]) expect(parseConfig([], { ...BASE, OTEL_SDK_DISABLED: v }).export, v).toEqual(on);
  });

  it("console exporters print the store's metrics and the spans on stdout (console.dir), nothing over the network", async () => {
    const cfg = parseConfig([], { OTEL_TRACES_EXPORTER: "console", OTEL_METRICS_EXPORTER: "console" });
    const store = new MetricStore({});
    store.add("openclaw.tokens", 5, { "openclaw.token": "input" });
    const printed: unknown[] = [];
    const spy = vi.spyOn(console, "dir").mockImplementation((v: unknown) => { printed.push(v); });
    try {
      const otlp = startOtlpExport(cfg, { produce: () => store.toScopeMetrics(Date.now()), onExportFailure: () => {} });
      otlp.tracer.startSpan("openclaw.model.usage").end();
      await otlp.forceFlush();
      await otlp.shutdown();
    } finally {
      spy.mockRestore();
    }
    const text = JSON.stringify(printed);
    expect(text).toContain("openclaw.tokens");
    expect(text).toContain("openclaw.model.usage");
  });
});
