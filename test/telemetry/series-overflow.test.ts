/**
 * series_overflow: points beyond the series cap used to vanish, so sums over a metric were
 * short by exactly the dropped points. They now go to one overflow series without their
 * attributes (otel.metric.overflow="true", as the OTel SDK's cardinality limit does), the drops
 * are still counted, and the overflow survives a checkpoint.
 */
import { describe, expect, it } from "vitest";
import { bindWarning, parseConfig } from "../../src/config/config.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";

const total = (text: string, name: string) =>
  text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);

describe("series_overflow", () => {
  it("keeps totals right past the cap and counts the points that lost their labels", () => {
    const store = new MetricStore({ seriesCap: 3 });
    for (let i = 0; i < 10; i++) store.add("openclaw.webhook.received", 2, { "openclaw.channel": `c${i}`, "openclaw.webhook": "message" });
    for (let i = 0; i < 10; i++) store.observe("openclaw.queue.wait_ms", 7, { "openclaw.lane": `l${i}` });
    const text = renderPrometheus(store);
    expect(total(text, "openclaw_webhook_received_total")).toBe(20);
    expect(text).toContain('openclaw_webhook_received_total{otel_metric_overflow="true"} 14');
    expect(text).toContain('openclaw_queue_wait_ms_milliseconds_count{otel_metric_overflow="true"} 7');
    expect(text).toContain('openclaw_sidecar_series_dropped_total{openclaw_metric="openclaw.webhook.received"} 7');
    // Three real series plus the one overflow series, whatever else arrives.
    expect(text.split("\n").filter((l) => l.startsWith("openclaw_webhook_received_total{")).length).toBe(4);

    const restored = new MetricStore({ seriesCap: 3 });
    restored.restoreState(JSON.parse(JSON.stringify(store.snapshotState())));
    restored.add("openclaw.webhook.received", 1, { "openclaw.channel": "c99", "openclaw.webhook": "message" });
    expect(renderPrometheus(restored)).toContain('openclaw_webhook_received_total{otel_metric_overflow="true"} 15');
  });
});

describe("bind_warning", () => {
  const listen = (v: string) => parseConfig(["--listen", v], {}).listen;
  it("warns for every interface and other non-loopback addresses, not for loopback or off", () => {
    expect(bindWarning(listen("0.0.0.0:9464"))).toMatch(/binds every network interface/);
    expect(bindWarning(listen("[::]:9464"))).toMatch(/^--listen \[::\]:9464 binds every network interface/);
    expect(bindWarning(listen("192.168.1.10:9464"))).toMatch(/not a loopback address/);
    for (const ok of ["127.0.0.1:9464", "[::1]:9464", "localhost:9464", "off"]) expect(bindWarning(listen(ok)), ok).toBeUndefined();
  });
});
