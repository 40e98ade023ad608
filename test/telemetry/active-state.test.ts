import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { advanceClock } from "../../src/telemetry/storage/active-state.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";

const T = Date.UTC(2026, 8, 10, 12, 0, 0);
const log = { origin: "log" as const, profile: "" };
const gauge = (store: MetricStore, series: string) =>
  renderPrometheus(store).split("\n").find((l) => l.startsWith(series))?.split(" ").at(-1);

const failure = (ts: number, profileId: string, until: number): OpenClawEvent =>
  ({ ...log, ts, type: "auth.profile.failure", provider: "google", reason: "rate_limit", windowType: "cooldown", cooldownUntil: until, profileId });

describe("active gauges", () => {
  const COOLDOWN = 'openclaw_auth_cooldown_active{openclaw_provider="google",openclaw_window="cooldown"}';
  const STUCK = 'openclaw_session_stuck_active{openclaw_kind="stuck"}';

  it("counts a profile once however often its window is reported", () => {
    const store = new MetricStore();
    countEvent(store, failure(T, "google:a", T + 60_000));
    countEvent(store, failure(T + 1000, "google:a", T + 60_000));
    countEvent(store, failure(T + 2000, "google:b", T + 30_000));
    expect(gauge(store, COOLDOWN)).toBe("2");
  });

  it("expires each window at its end on the event clock, or by advanceClock", () => {
    const store = new MetricStore();
    countEvent(store, failure(T, "google:a", T + 60_000));
    countEvent(store, failure(T, "google:b", T + 30_000));
    advanceClock(store, T + 30_000);
    expect(gauge(store, COOLDOWN)).toBe("1");
    advanceClock(store, T + 10_000); // the clock never goes back
    advanceClock(store, T + 60_000);
    expect(gauge(store, COOLDOWN)).toBe("0");
  });

  it("ignores a window that already ended when its line is replayed late", () => {
    const store = new MetricStore();
    countEvent(store, { ...log, ts: T + 120_000, type: "queue.lane.task_error", lane: "main", error: "x" });
    countEvent(store, failure(T, "google:a", T + 60_000));
    expect(gauge(store, COOLDOWN)).toBeUndefined();
  });

  it("clears a stuck session when it leaves processing, and only that one", () => {
    const store = new MetricStore();
    for (const key of ["agent:main:a", "agent:main:b"]) {
      countEvent(store, { ...log, origin: "jsonl", ts: T, type: "session.stuck", sessionKey: key, state: "processing", ageMs: 130_000 });
    }
    countEvent(store, { ...log, origin: "jsonl", ts: T + 1000, type: "session.state", sessionKey: "agent:main:a", state: "processing" });
    expect(gauge(store, STUCK)).toBe("2");
    countEvent(store, { ...log, origin: "jsonl", ts: T + 2000, type: "session.state", sessionKey: "agent:main:a", state: "idle" });
    expect(gauge(store, STUCK)).toBe("1");
    advanceClock(store, T + 30 * 60_000);
    expect(gauge(store, STUCK)).toBe("0");
  });

  it("keeps the profile ids out of every label while holding them in the checkpoint", () => {
    const store = new MetricStore();
    countEvent(store, failure(T, "google:secret-profile", T + 60_000));
    expect(renderPrometheus(store)).not.toContain("secret-profile");
    expect(JSON.stringify(store.snapshotState().active)).toContain("secret-profile");
  });
});
