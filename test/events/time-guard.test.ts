/**
 * future_and_past_timestamps: one line dated year 3000 used to move the forward-only,
 * checkpointed event clock, after which no cooldown opened and stuck sessions expired at once,
 * across restarts. Such a line is now rejected (future_timestamp), the clock ignores it, and a
 * checkpoint that already holds a future clock is repaired on load. Past lines (replays of old
 * files) are still counted. Also invalid_value: negative amounts never reach a histogram.
 */
import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/events/parse-line.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { advanceClock } from "../../src/telemetry/storage/active-state.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { tslogLine } from "../fixtures/build/envelopes.ts";

// The pipeline reads the real wall clock; the store is given the same instant.
const NOW = Date.now();
const T = NOW - 3_600_000;
const Y3000 = Date.parse("3000-01-01T00:00:00.000Z");
const Y1990 = Date.parse("1990-06-01T00:00:00.000Z");

const rec = (obj: unknown): LineRecord => ({ source: "diagnostics", profile: "", path: "d.jsonl", offset: 0, line: JSON.stringify(obj) });
const stuck = (ts: number, key: string) => rec({ type: "session.stuck", ts, sessionKey: key, state: "processing", ageMs: 130_000 });
const lane = (ts: number) => rec({ type: "queue.lane.enqueue", ts, lane: "main", queueSize: 1 });
const logLine = (at: string, until: number, profileId: string): LineRecord => ({
  source: "log", profile: "", path: "o.log", offset: 0,
  line: tslogLine("9.6", {
    sub: "agent/embedded", level: "WARN", at,
    args: [{ event: "auth_profile_failure_state_updated", profileId, provider: "google", reason: "rate_limit", windowType: "cooldown", errorCount: 1, cooldownUntil: until }, "auth profile failure state updated"],
  }),
});

const sample = (text: string, series: string) => text.split("\n").find((l) => l.startsWith(series))?.split(" ").at(-1);
const COOLDOWN = 'openclaw_auth_cooldown_active{openclaw_provider="google",openclaw_window="cooldown"}';
const STUCK = 'openclaw_session_stuck_active{openclaw_kind="stuck"}';

function pipeline(store = new MetricStore({ wallClock: () => NOW })) {
  return new Pipeline({ store });
}

describe("future_and_past_timestamps", () => {
  it("rejects a JSONL or log event line dated far ahead of the wall clock, and says so", () => {
    expect(parseLine(lane(Y3000), () => NOW)).toMatchObject({ kind: "rejected", reason: "future_timestamp", detail: expect.stringContaining("3000-01-01") });
    expect(parseLine(logLine("3000-01-01T00:00:00.000Z", Y3000 + 60_000, "g:a"), () => NOW)).toMatchObject({ kind: "rejected", reason: "future_timestamp" });
    // A date beyond what Date can print must not throw.
    expect(parseLine(lane(1e17), () => NOW)).toMatchObject({ kind: "rejected", reason: "future_timestamp" });
    // Within the tolerance (clock skew): believed.
    expect(parseLine(lane(NOW + 30 * 60_000), () => NOW).kind).toBe("events");
  });

  it("keeps opening cooldowns and holding stuck sessions after a line from year 3000", () => {
    const p = pipeline();
    p.handle(lane(T));
    p.handle(lane(Y3000));
    p.handle(stuck(T + 1000, "agent:main:a"));
    p.handle(logLine(new Date(T + 2000).toISOString(), T + 2000 + 60_000, "google:a"));
    const text = renderPrometheus(p.store);
    expect(sample(text, COOLDOWN)).toBe("1");
    expect(sample(text, STUCK)).toBe("1");
    expect(sample(text, 'openclaw_sidecar_lines_rejected_total{openclaw_reason="future_timestamp",openclaw_source="diagnostics"}')).toBe("1");
    expect(p.store.active.eventClockMs).toBe(T + 2000);
  });

  it("counts far-past lines (replays of old files) without moving the clock back or breaking the gauges", () => {
    const p = pipeline();
    p.handle(stuck(T, "agent:main:a"));
    p.handle(lane(Y1990));
    p.handle(logLine(new Date(T + 1000).toISOString(), T + 61_000, "google:a"));
    const text = renderPrometheus(p.store);
    expect(sample(text, 'openclaw_queue_lane_enqueue_total{openclaw_lane="main"}')).toBe("1");
    expect(sample(text, COOLDOWN)).toBe("1");
    expect(sample(text, STUCK)).toBe("1");
    expect(p.store.active.eventClockMs).toBe(T + 1000);
    // An old window line replayed now: already over, not opened.
    p.handle(logLine("1990-06-01T00:00:00.000Z", Y1990 + 60_000, "google:b"));
    expect(sample(renderPrometheus(p.store), COOLDOWN)).toBe("1");
  });

  it("ignores a future time passed straight to advanceClock", () => {
    const store = new MetricStore({ wallClock: () => NOW });
    advanceClock(store, T);
    advanceClock(store, Y3000);
    expect(store.active.eventClockMs).toBe(T);
  });

  it("repairs a checkpoint that already holds a future clock, across a restore from snapshot", () => {
    const before = pipeline();
    before.handle(stuck(T, "agent:main:a"));
    before.handle(logLine(new Date(T).toISOString(), T + 60_000, "google:a"));
    const saved = before.snapshotState();
    // What an older version wrote after reading a year-3000 line.
    const metrics = saved.metrics as { active: { eventClockMs: number; stuck: { session: string; kind: string; lastWarningMs: number }[] }; metrics: { name: string; series: { attrs: Record<string, string>; value?: number }[] }[] };
    metrics.active.eventClockMs = Y3000;
    metrics.active.stuck.push({ session: "bogus", kind: "stuck", lastWarningMs: Y3000 });
    metrics.metrics.push({ name: "openclaw.sidecar.event.last_seen", startTimeUnixNano: "1", series: [{ attrs: { "openclaw.event.type": "queue.lane.enqueue" }, value: Y3000 / 1000 }] } as never);

    const after = pipeline();
    after.restoreState(JSON.parse(JSON.stringify(saved)));
    expect(after.store.active.eventClockMs).toBe(NOW);
    expect(after.store.active.stuck.has("bogus")).toBe(false);
    let text = renderPrometheus(after.store);
    expect(text).not.toContain('openclaw_sidecar_event_last_seen_seconds{openclaw_event_type="queue.lane.enqueue"}');
    // The real stuck session is still held (warned 1 h ago, expires after 30 min: gone), and
    // new windows and stuck sessions open again.
    after.handle(stuck(NOW - 60_000, "agent:main:b"));
    after.handle(logLine(new Date(NOW - 1000).toISOString(), NOW + 60_000, "google:b"));
    text = renderPrometheus(after.store);
    expect(sample(text, STUCK)).toBe("1");
    expect(sample(text, COOLDOWN)).toBe("1");
    // And that state survives the next restore as it is.
    const again = pipeline();
    again.restoreState(JSON.parse(JSON.stringify(after.snapshotState())));
    expect(sample(renderPrometheus(again.store), COOLDOWN)).toBe("1");
    expect(again.store.active.eventClockMs).toBe(NOW);
  });
});

describe("invalid_value", () => {
  it("rejects negative waitMs and queueSize instead of observing them, and keeps negative chat ids", () => {
    expect(parseLine(rec({ type: "queue.lane.dequeue", ts: T, lane: "main", queueSize: 1, waitMs: -5 }), () => NOW)).toMatchObject({ kind: "rejected", reason: "invalid_value", detail: "queue.lane.dequeue: waitMs is negative" });
    expect(parseLine(rec({ type: "queue.lane.enqueue", ts: T, lane: "main", queueSize: -1 }), () => NOW)).toMatchObject({ kind: "rejected", reason: "invalid_value" });
    expect(parseLine(rec({ type: "model.usage", ts: T, usage: { input: -10 } }), () => NOW)).toMatchObject({ kind: "rejected", reason: "invalid_value", detail: "model.usage: usage.input is negative" });
    expect(parseLine(rec({ type: "webhook.received", ts: T, channel: "telegram", chatId: -100123 }), () => NOW).kind).toBe("events");
  });

  it("never observes a negative sample into a histogram, and counts it", () => {
    const store = new MetricStore();
    store.observe("openclaw.queue.wait_ms", -5, { "openclaw.lane": "main" });
    const text = renderPrometheus(store);
    expect(text).not.toContain("openclaw_queue_wait_ms_count");
    expect(sample(text, 'openclaw_sidecar_series_dropped_total{openclaw_metric="openclaw.queue.wait_ms"}')).toBe("1");
  });
});
