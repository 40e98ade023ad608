import { describe, expect, it } from "vitest";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { escapeLabelValue, formatPromNumber, renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { SCENARIOS } from "./scenario-events.ts";

describe("Prometheus text exposition", () => {
  it("prints numbers as Go's strconv 'g' does (expfmt)", () => {
    expect([0, 1, 5, 0.25, 1e-5, 0.0001, 300000, 1e6, 1.8e6, 43200000, 2.5e21, -3, Infinity, -Infinity, NaN].map(formatPromNumber))
      .toEqual(["0", "1", "5", "0.25", "1e-05", "0.0001", "300000", "1e+06", "1.8e+06", "4.32e+07", "2.5e+21", "-3", "+Inf", "-Inf", "NaN"]);
  });

  it("escapes label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("renders counters, cumulative histogram buckets and gauges with identity labels", () => {
    const store = new MetricStore();
    store.add("openclaw.tokens", 7, { "openclaw.token": "input", "openclaw.provider": "openai" });
    for (const v of [3, 700, 1_000_000]) store.observe("openclaw.queue.wait_ms", v, { "openclaw.lane": "main" });
    store.set("openclaw.sidecar.files.open", 2, { "openclaw.source": "log" });
    const text = renderPrometheus(store, { hostName: "box", profile: "work", resource: { "service.name": "openclaw-otel-sidecar", "host.name": "box", "openclaw.profile": "work" } });
    const lines = text.trimEnd().split("\n");
    expect(lines).toContain("# TYPE openclaw_tokens_total counter");
    expect(lines).toContain('openclaw_tokens_total{host_name="box",openclaw_profile="work",openclaw_provider="openai",openclaw_token="input"} 7');
    expect(lines).toContain("# TYPE openclaw_queue_wait_ms_milliseconds histogram");
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_bucket{host_name="box",openclaw_lane="main",openclaw_profile="work",le="5"} 1');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_bucket{host_name="box",openclaw_lane="main",openclaw_profile="work",le="750"} 2');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_bucket{host_name="box",openclaw_lane="main",openclaw_profile="work",le="3.6e+06"} 3');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_bucket{host_name="box",openclaw_lane="main",openclaw_profile="work",le="+Inf"} 3');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_sum{host_name="box",openclaw_lane="main",openclaw_profile="work"} 1.000703e+06');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_count{host_name="box",openclaw_lane="main",openclaw_profile="work"} 3');
    expect(lines).toContain('openclaw_sidecar_files_open{host_name="box",openclaw_profile="work",openclaw_source="log"} 2');
    expect(lines).toContain('target_info{host_name="box",job="openclaw-otel-sidecar",openclaw_profile="work"} 1');
  });

  it("is sorted and stable whatever the order events arrive in", () => {
    const events = Object.values(SCENARIOS).flat();
    const a = new MetricStore(), b = new MetricStore();
    for (const ev of events) countEvent(a, ev);
    // Same multiset of events, other order within each second: counters are order-free.
    for (const ev of [...events].sort((x, y) => x.ts - y.ts || (x.type < y.type ? 1 : -1))) countEvent(b, ev);
    // Gauges of what is open now (and the profiles they prove) depend on the order by nature.
    const stateful = /^openclaw_(auth_cooldown_active|session_stuck_active|auth_profiles_known|model_consecutive_failures|model_last_(success|failure))/;
    const ta = renderPrometheus(a).split("\n").filter((l) => !stateful.test(l));
    const tb = renderPrometheus(b).split("\n").filter((l) => !stateful.test(l));
    expect(ta).toEqual(tb);
    const families = ta.filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2]);
    expect(families).toEqual([...families].sort());
  });
});
