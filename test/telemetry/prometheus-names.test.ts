import { describe, expect, it } from "vitest";
import { checkGolden } from "../support/golden.ts";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";
import { promLabelName, promMetricName, promName, promSeriesNames } from "../../src/telemetry/naming/prometheus-names.ts";

const GOLDEN = new URL("../golden/prometheus-names.txt", import.meta.url);

describe("Prometheus name translation", () => {
  // The cases of prometheus/otlptranslator metric_namer_test.go TestMetricNamer_Build with
  // WithMetricSuffixes: true, UTF8Allowed: false and no namespace (the collector's default
  // UnderscoreEscapingWithSuffixes), plus its README/doc-comment examples.
  const documented: [string, string, "counter" | "gauge" | "histogram", string][] = [
    ["requests", "", "counter", "requests_total"],
    ["cpu_usage", "1", "gauge", "cpu_usage_ratio"],
    ["items", "1", "counter", "items_total"],
    ["response_time", "ms", "gauge", "response_time_milliseconds"],
    ["memory_usage", "By", "gauge", "memory_usage_bytes"],
    ["requests", "1/s", "gauge", "requests_per_second"],
    ["throughput", "By/s", "gauge", "throughput_bytes_per_second"],
    ["custom_metric", "custom_unit", "gauge", "custom_metric_custom_unit"],
    ["custom_metric", "{custom}", "gauge", "custom_metric"],
    ["custom_metric", "By/{custom}", "gauge", "custom_metric_bytes"],
    ["requests_total", "", "counter", "requests_total"],
    ["cpu_usage_ratio", "1", "gauge", "cpu_usage_ratio"],
    ["response_time_seconds", "s", "gauge", "response_time_seconds"],
    ["metric__with__multiple__underscores", "unit__multiple__underscores", "gauge", "metric_with_multiple_underscores_unit_multiple_underscores"],
    ["custom_metric", "unit@with#special/chars", "gauge", "custom_metric_unit_with_special_per_chars"],
    ["request_duration", "s", "histogram", "request_duration_seconds"],
    ["uptime", "d", "gauge", "uptime_days"],
    ["duration", "h", "gauge", "duration_hours"],
    // README quick start and doc comments
    ["http.server.request.duration", "s", "histogram", "http_server_request_duration_seconds"],
    ["requests.count", "1", "counter", "requests_count_total"],
    ["memory.usage", "By", "gauge", "memory_usage_bytes"],
  ];
  it.each(documented)("translates %s [%s, %s] as the translator documents", (name, unit, kind, want) => {
    expect(promMetricName(name, unit, kind)).toBe(want);
  });

  it("prefixes a name that starts with a digit with an underscore", () => {
    expect(promMetricName("123metric", "", "gauge")).toBe("_123metric");
    expect(promMetricName("metric@@##$$name", "", "gauge")).toBe("metric_name");
  });

  it("gives upstream's run duration the name its users really see", () => {
    const def = METRICS.find((m) => m.name === "openclaw.run.duration_ms");
    expect(def && promSeriesNames(def)).toContain("openclaw_run_duration_ms_milliseconds_bucket");
  });

  it("translates the catalogue's units and kinds", () => {
    const byName = new Map(METRICS.map((m) => [m.name, promName(m)]));
    expect(byName.get("openclaw.tokens")).toBe("openclaw_tokens_total");
    expect(byName.get("openclaw.auth.cooldown.active")).toBe("openclaw_auth_cooldown_active");
    expect(byName.get("openclaw.model.all_failed")).toBe("openclaw_model_all_failed_total");
    expect(byName.get("openclaw.sidecar.file.unread")).toBe("openclaw_sidecar_file_unread_bytes");
    expect(byName.get("openclaw.sidecar.event.last_seen")).toBe("openclaw_sidecar_event_last_seen_seconds");
    expect(byName.get("openclaw.context.utilization")).toBe("openclaw_context_utilization");
    expect(byName.get("openclaw.queue.lane.exceeded_wait")).toBe("openclaw_queue_lane_exceeded_wait_milliseconds");
  });

  it("translates label names as the collector does", () => {
    expect(promLabelName("openclaw.channel")).toBe("openclaw_channel");
    expect(promLabelName("openclaw.toolName")).toBe("openclaw_toolName");
    expect(promLabelName("host.name")).toBe("host_name");
    expect(promLabelName("0abc")).toBe("key_0abc");
    expect(promLabelName("_abc")).toBe("key_abc");
    expect(promLabelName("__abc")).toBe("__abc");
  });

  it("gives every catalogue metric a distinct Prometheus name", () => {
    const names = METRICS.flatMap((m) => promSeriesNames(m));
    expect(new Set(names).size).toBe(names.length);
  });

  it("matches the golden list of series names (UPDATE_GOLDEN=1 rewrites it and fails)", () => {
    const text = `${METRICS.flatMap((m) => promSeriesNames(m)).sort().join("\n")}\n`;
    checkGolden(GOLDEN, text);
  });
});
