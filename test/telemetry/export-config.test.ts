import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/schema.ts";
import { ConfigError, helpText, optionsTableMarkdown, parseConfig } from "../../src/config/config.ts";

const tmp = mkdtempSync(path.join(os.tmpdir(), "otel-config-"));
function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
}
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("gives every setting its documented default with an empty environment", () => {
    const cfg = parseConfig([], { HOME: "/home/ada" });
    expect(cfg.logsDir).toBe("/tmp/openclaw");
    expect(cfg.stateDir).toBe("/home/ada/.local/state/openclaw-otel-sidecar");
    expect(cfg.listen).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(cfg.pollIntervalMs).toBe(250);
    expect(cfg.metricExportIntervalMs).toBe(60000);
    expect(cfg.serviceName).toBe("openclaw");
    expect(cfg.hostName).toBe(os.hostname());
    expect(cfg.fromBeginning).toBe(false);
    expect(cfg.export).toEqual({ metrics: null, traces: null });
  });

  it("puts the state directory under an absolute XDG_STATE_HOME", () => {
    expect(parseConfig([], { XDG_STATE_HOME: "/xdg/state", HOME: "/h" }).stateDir).toBe("/xdg/state/openclaw-otel-sidecar");
    expect(parseConfig([], { XDG_STATE_HOME: "relative", HOME: "/h" }).stateDir).toBe("/h/.local/state/openclaw-otel-sidecar");
  });

  it("merges defaults < config file < environment < flags", () => {
    const yaml = file("c.yaml", "pollIntervalMs: 500\nlogsDir: /from/file\nseriesCap: 77\nlisten: 127.0.0.1:1\n");
    const cfg = parseConfig(["--config", yaml, "--poll-interval", "900", "--listen", "off"], {
      OPENCLAW_OTEL_POLL_INTERVAL: "700",
      OPENCLAW_OTEL_LOGS: "/from/env",
      OPENCLAW_OTEL_SERIES_CAP: "",
    });
    expect(cfg.pollIntervalMs).toBe(900);
    expect(cfg.logsDir).toBe("/from/env");
    expect(cfg.seriesCap).toBe(77); // an empty variable counts as unset
    expect(cfg.listen).toBeNull();
    const json = file("c.json", JSON.stringify({ fromBeginning: true, otlpHeaders: { "x-key": "v" }, otlpEndpoint: "http://c:4318" }));
    const fromJson = parseConfig([], { OPENCLAW_OTEL_CONFIG: json });
    expect(fromJson.fromBeginning).toBe(true);
    expect(fromJson.export.metrics?.headers).toEqual({ "x-key": "v" });
    expect(parseConfig(["--no-from-beginning"], { OPENCLAW_OTEL_CONFIG: json }).fromBeginning).toBe(false);
  });

  it("derives signal URLs from the base endpoint and uses signal endpoints as-is", () => {
    const cfg = parseConfig([], {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/custom/path",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20abc, x-a=1",
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: "x-a=2",
    });
    const common = { exporter: "otlp", timeoutMs: 10_000, compression: "none" };
    expect(cfg.export.metrics).toEqual({ ...common, url: "http://collector:4318/v1/metrics", protocol: "http/protobuf", headers: { Authorization: "Bearer abc", "x-a": "2" } });
    expect(cfg.export.traces).toEqual({ ...common, url: "https://traces.example/custom/path", protocol: "http/json", headers: { Authorization: "Bearer abc", "x-a": "1" } });
  });

  it("turns export on per signal only where an endpoint applies, and off with OTEL_SDK_DISABLED", () => {
    const onlyTraces = parseConfig([], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:4318/v1/traces" });
    expect(onlyTraces.export.metrics).toBeNull();
    expect(onlyTraces.export.traces?.protocol).toBe("http/protobuf"); // the spec's default
    const disabled = parseConfig([], { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" });
    expect(disabled.export).toEqual({ metrics: null, traces: null });
  });

  it("reads resource attributes, and host.name from them unless --host-name is given", () => {
    const env = { OTEL_RESOURCE_ATTRIBUTES: "host.name=box-1,deployment.environment=prod%2Feu" };
    const cfg = parseConfig([], env);
    expect(cfg.resourceAttributes).toEqual({ "host.name": "box-1", "deployment.environment": "prod/eu" });
    expect(cfg.hostName).toBe("box-1");
    expect(parseConfig(["--host-name", "box-2"], env).hostName).toBe("box-2");
  });

  it("accepts grpc and uses its endpoint as-is (no /v1/ path), as the spec says", () => {
    const cfg = parseConfig([], { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317" });
    expect(cfg.export.metrics).toMatchObject({ url: "http://c:4317", protocol: "grpc" });
    expect(cfg.export.traces).toMatchObject({ url: "http://c:4317", protocol: "grpc" });
    expect(errorOf(() => parseConfig([], { OTEL_EXPORTER_OTLP_PROTOCOL: "thrift" }))).toContain("expected http/protobuf, http/json or grpc");
  });

  it("names every bad setting at once with its source and value", () => {
    const msg = errorOf(() => parseConfig(["--poll-interval", "abc", "--listen", "localhost"], { OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://x", OTEL_SDK_DISABLED: "maybe" }));
    expect(msg).toMatch(/--poll-interval \(OPENCLAW_OTEL_POLL_INTERVAL\) from the command line: expected a whole number from 10 to 60000 \(got "abc"\)/);
    expect(msg).toMatch(/--listen \(OPENCLAW_OTEL_LISTEN\).*HOST:PORT/);
    expect(msg).toMatch(/--otlp-endpoint \(OTEL_EXPORTER_OTLP_ENDPOINT\) from the environment: expected an http/);
    // A specification boolean: "maybe" is false, not an error.
    expect(msg).not.toMatch(/sdk-disabled/);
  });

  it("never quotes header values back in an error", () => {
    const msg = errorOf(() => parseConfig([], { OTEL_EXPORTER_OTLP_HEADERS: "Authorization: Bearer s3cret" }));
    expect(msg).toContain("OTEL_EXPORTER_OTLP_HEADERS");
    expect(msg).not.toContain("s3cret");
  });

  it("refuses unknown flags and unknown config-file keys", () => {
    expect(errorOf(() => parseConfig(["--pol-interval", "5"], {}))).toContain("--pol-interval");
    const bad = file("bad.yaml", "pollInterval: 5\n");
    expect(errorOf(() => parseConfig(["--config", bad], {}))).toMatch(/unknown key\(s\) in .*bad\.yaml: pollInterval/);
    expect(errorOf(() => parseConfig(["--config", path.join(tmp, "missing.yaml")], {}))).toMatch(/--config \(OPENCLAW_OTEL_CONFIG\): cannot read/);
  });

  it("documents every setting in the help text and the options table", () => {
    const help = helpText();
    const table = optionsTableMarkdown().trim().split("\n");
    const keys = Object.keys(settingsSchema.shape);
    expect(table).toHaveLength(keys.length + 2);
    for (const key of keys) {
      const meta = settingsSchema.shape[key as keyof typeof settingsSchema.shape].meta() as { flag: string; env: string; description: string };
      expect(help).toContain(meta.flag);
      expect(help).toContain(meta.env);
      expect(meta.description.length).toBeGreaterThan(10);
      expect(table.some((row) => row.includes(`\`${key}\``) && row.includes(meta.env))).toBe(true);
    }
    for (const env of ["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_SERVICE_NAME", "OTEL_METRIC_EXPORT_INTERVAL"]) {
      expect(help).toContain(env);
    }
    expect(help).toMatch(/--listen HOST:PORT[^\n]*\n[^\n]*\n\s+default: 127\.0\.0\.1:9464/);
  });
});
