/**
 * active_state_scale: the number of open cooldown windows and stuck sessions is up to the log,
 * so the cost of one event must not grow with it (it did: every event walked every entry and
 * every change recounted every group; 20k stuck sessions took 11 s to replay). Measured as a
 * CPU ratio within one run (1k vs 20k open entries), never as an absolute time. Also: the maps
 * are bounded with a counted drop, and the incremental gauges equal a plain recount.
 */
import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { advanceClock, STUCK_EXPIRY_MS } from "../../src/telemetry/storage/active-state.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";

const T = Date.UTC(2026, 8, 10, 12, 0, 0);
const base = { origin: "jsonl" as const, profile: "" };
const stuck = (ts: number, i: number): OpenClawEvent => ({ ...base, ts, type: "session.stuck", sessionKey: `s${i}`, state: "processing", ageMs: 130_000 });
const failure = (ts: number, provider: string, profileId: string, until: number): OpenClawEvent =>
  ({ ...base, origin: "log", ts, type: "auth.profile.failure", provider, reason: "rate_limit", windowType: "cooldown", cooldownUntil: until, profileId });

const wall = () => T + 3_600_000;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** CPU per event of `extra` events on top of `open` entries made by `make` (best of three). */
function perEvent(open: number, make: (store: MetricStore, i: number) => void, extra: number): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const store = new MetricStore({ wallClock: wall, activeLimit: 50_000 });
    for (let i = 0; i < open; i++) make(store, i);
    const t0 = cpuMs();
    for (let i = open; i < open + extra; i++) make(store, i);
    best = Math.min(best, (cpuMs() - t0) / extra);
  }
  return best;
}

const gauge = (store: MetricStore, name: string, attrs: Record<string, string>) => {
  const m = store.listMetrics().find((x) => x.def.name === name);
  const s = m && [...m.series.values()].find((x) => Object.entries(attrs).every(([k, v]) => x.attrs[k] === v));
  return s?.value;
};

describe("active_state_scale", () => {
  it("costs the same per event with 20k stuck sessions open as with 1k", () => {
    const make = (store: MetricStore, i: number) => countEvent(store, stuck(T + i, i));
    const small = perEvent(1_000, make, 2_000);
    const large = perEvent(20_000, make, 2_000);
    expect(large / small, `per event: ${small.toFixed(4)} ms at 1k, ${large.toFixed(4)} ms at 20k`).toBeLessThan(3);
  });

  it("costs the same per event with 20k providers in cooldown as with 1k", () => {
    // One provider per window: the worst case for the per-group gauges.
    const make = (store: MetricStore, i: number) => countEvent(store, failure(T + i, `p${i}`, `p${i}:a`, T + 10 * 3_600_000 + i));
    const small = perEvent(1_000, make, 2_000);
    const large = perEvent(20_000, make, 2_000);
    expect(large / small, `per event: ${small.toFixed(4)} ms at 1k, ${large.toFixed(4)} ms at 20k`).toBeLessThan(3);
  });

  it("keeps at most the limit per map, evicting the entry closest to its end, and counts it", () => {
    const store = new MetricStore({ wallClock: wall, activeLimit: 100 });
    for (let i = 0; i < 150; i++) countEvent(store, stuck(T + i, i));
    expect(store.active.stuck.size).toBe(100);
    expect(store.active.stuck.has("s0")).toBe(false);
    expect(store.active.stuck.has("s149")).toBe(true);
    expect(gauge(store, "openclaw.session.stuck.active", { "openclaw.kind": "stuck" })).toBe(100);
    expect(gauge(store, "openclaw.sidecar.series.dropped", { "openclaw.metric": "openclaw.session.stuck.active" })).toBe(50);
    for (let i = 0; i < 150; i++) countEvent(store, failure(T + 200, "google", `g${i}`, T + 60_000 + i));
    expect(store.active.cooldowns.size).toBe(100);
    expect(gauge(store, "openclaw.auth.cooldown.active", { "openclaw.provider": "google" })).toBe(100);
    expect(gauge(store, "openclaw.auth.cooldown.until", { "openclaw.provider": "google" })).toBe((T + 60_000 + 149) / 1000);
    expect(gauge(store, "openclaw.sidecar.series.dropped", { "openclaw.metric": "openclaw.auth.cooldown.active" })).toBe(50);
  });

  it("gives the same gauges as a plain recount under random opens, re-opens, clears and expiry", () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const store = new MetricStore({ wallClock: wall });
    const windows = new Map<string, { provider: string; until: number }>();
    const sessions = new Map<string, { kind: string; last: number }>();
    let clock = T;
    for (let step = 0; step < 4_000; step++) {
      const ts = T + step * 1000;
      const op = rnd(5);
      if (op === 0) {
        const provider = `p${rnd(4)}`, profile = `${provider}:${rnd(6)}`, until = ts + 1000 + rnd(200_000);
        countEvent(store, failure(ts, provider, profile, until));
        if (until > Math.max(clock, ts)) windows.set(profile, { provider, until });
      } else if (op === 1 || op === 2) {
        const key = `s${rnd(30)}`;
        const ev: OpenClawEvent = op === 1
          ? stuck(ts, 0)
          : { ...base, ts, type: "session.stalled", sessionKey: "", ageMs: 1, classification: "x" };
        countEvent(store, { ...ev, sessionKey: key } as OpenClawEvent);
        if (ts + STUCK_EXPIRY_MS > store.active.eventClockMs) sessions.set(key, { kind: op === 1 ? "stuck" : "stalled", last: ts });
      } else if (op === 3) {
        const key = `s${rnd(30)}`;
        countEvent(store, { ...base, ts, type: "session.state", sessionKey: key, state: "idle" });
        sessions.delete(key);
      } else {
        advanceClock(store, ts + rnd(3) * STUCK_EXPIRY_MS);
      }
      clock = store.active.eventClockMs;
      for (const [k, w] of windows) if (w.until <= clock) windows.delete(k);
      for (const [k, s] of sessions) if (s.last + STUCK_EXPIRY_MS <= clock) sessions.delete(k);
      for (let p = 0; p < 4; p++) {
        const open = [...windows.values()].filter((w) => w.provider === `p${p}`);
        const shown = gauge(store, "openclaw.auth.cooldown.active", { "openclaw.provider": `p${p}` });
        expect(shown ?? 0, `step ${step} p${p}`).toBe(open.length);
        const until = gauge(store, "openclaw.auth.cooldown.until", { "openclaw.provider": `p${p}` });
        expect(until, `step ${step} p${p} until`).toBe(open.length ? Math.max(...open.map((w) => w.until)) / 1000 : undefined);
      }
      for (const kind of ["stuck", "stalled"]) {
        const n = [...sessions.values()].filter((s) => s.kind === kind).length;
        expect(gauge(store, "openclaw.session.stuck.active", { "openclaw.kind": kind }) ?? 0, `step ${step} ${kind}`).toBe(n);
      }
    }
  });
});
