import { describe, expect, it } from "vitest";
import { boundValue, laneValue } from "../../src/telemetry/naming/attributes.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";

const base = { ts: 1_700_000_000_000, origin: "jsonl" as const, profile: "" };

describe("attribute hygiene", () => {
  it("keeps bounded values and replaces the rest with unknown", () => {
    expect(boundValue("telegram")).toBe("telegram");
    // Model names as OpenRouter-style configs write them keep their `/`; a URL never becomes a label.
    expect(boundValue("openrouter/anthropic/claude-sonnet-4")).toBe("openrouter/anthropic/claude-sonnet-4");
    expect(boundValue("https://api.example.com/v1")).toBe("unknown");
    expect(boundValue("/v1//x")).toBe("unknown");
    expect(boundValue("has space")).toBe("unknown");
    expect(boundValue("x".repeat(121))).toBe("unknown");
    expect(boundValue("")).toBe("unknown");
    expect(boundValue(3)).toBe("3");
    expect(boundValue(true)).toBe("true");
  });

  it("never lets a session key through", () => {
    expect(boundValue("agent:main:telegram:123")).toBe("unknown");
  });

  it("turns a value carrying a secret into unknown", () => {
    expect(boundValue("sk-ant-api03-abcdefghijklmnop")).toBe("unknown");
  });

  it("reduces a lane to its prefix", () => {
    expect(laneValue("session:agent:main:abc")).toBe("session");
    expect(laneValue("auth-probe:openai")).toBe("auth-probe");
    expect(laneValue("main")).toBe("main");
  });

  it("throws when a recorder passes a key the catalogue does not list", () => {
    const store = new MetricStore({ strictKeys: true });
    expect(() => store.add("openclaw.webhook.received", 1, { "openclaw.sessionId": "s1" })).toThrow(/does not allow attribute/);
    const lax = new MetricStore({ strictKeys: false });
    lax.add("openclaw.webhook.received", 1, { "openclaw.sessionId": "s1", "openclaw.channel": "x" });
    expect(lax.snapshotState().metrics[0]?.series[0]?.attrs).toEqual({ "openclaw.channel": "x" });
  });

  it("exports no identifier as a label for events full of them", () => {
    const store = new MetricStore();
    countEvent(store, { ...base, type: "message.queued", sessionKey: "agent:main:main", sessionId: "sess-42", channel: "agent:main:x", source: "dispatch", queueDepth: 2 });
    countEvent(store, { ...base, type: "session.stuck", sessionKey: "agent:main:main", sessionId: "sess-42", state: "processing", ageMs: 130000 });
    countEvent(store, { ...base, type: "run.attempt", sessionId: "sess-42", runId: "run-77", attempt: 1 });
    countEvent(store, { ...base, type: "queue.lane.enqueue", lane: "session:agent:main:main", queueSize: 1 });
    countEvent(store, { ...base, type: "auth.profile.failure", provider: "openai", reason: "rate_limit", windowType: "cooldown", cooldownUntil: base.ts + 60000, profileId: "openai:work-key", runId: "run-77" });
    const text = renderPrometheus(store);
    for (const id of ["sess-42", "run-77", "agent:", "work-key", "session:"]) expect(text).not.toContain(id);
    expect(text).toContain('openclaw_lane="session"');
  });

  it("counts the data points dropped by the series cap", () => {
    const store = new MetricStore({ seriesCap: 3 });
    for (let i = 0; i < 5; i++) store.add("openclaw.webhook.received", 1, { "openclaw.channel": `ch${i}` });
    const text = renderPrometheus(store);
    // Three series, and the overflow series the other points went to (totals stay right).
    expect(text.match(/^openclaw_webhook_received_total\{/gm)).toHaveLength(4);
    expect(text).toContain('openclaw_webhook_received_total{otel_metric_overflow="true"} 2');
    expect(text).toContain('openclaw_sidecar_series_dropped_total{openclaw_metric="openclaw.webhook.received"} 2');
  });
});
