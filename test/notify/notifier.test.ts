/**
 * When the notifier tells, on incidents written here by hand (the incident model's shape):
 * a burst in one message after the group wait, nothing while nothing changes, a new fallback
 * told once, a reminder after the repeat interval, one resolved message with the downtime,
 * the minimum severity, history not told, and its state carried across a restart.
 */
import { describe, expect, it } from "vitest";
import type { NotifyConfig } from "../../src/config/config.ts";
import type { Incident } from "../../src/incidents/index.ts";
import { END_HOLD_MS, Notifier } from "../../src/notify/notifier.ts";
import { NotifyService } from "../../src/notify/service.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { createLogger } from "../../src/sidecar/log.ts";

const T0 = Date.UTC(2026, 10, 21, 20, 0, 0);
const S = 1000, MIN = 60 * S, H = 60 * MIN;
const cfg = (over: Partial<NotifyConfig> = {}): NotifyConfig => ({ minSeverity: "warning", groupWaitMs: 3 * S, repeatIntervalMs: H, pageUrl: undefined, targets: [], ...over });

function world() {
  const w = { now: T0, open: [] as Incident[], closed: [] as Incident[] };
  const source = { ongoing: () => w.open, incidents: () => [...w.closed, ...w.open] };
  return { w, source };
}
const inc = (kind: Incident["kind"], subject: string, start: number, over: Partial<Incident> = {}): Incident => ({
  key: `${kind}:${subject}`, kind, severity: kind === "all_models_failed" ? "down" : "degraded", subject, start, last: start, count: 3, reasons: { http_429: 3 }, ...over,
});

describe("Notifier", () => {
  it("sends a burst as one message after the group wait, worst first, then nothing while nothing changes", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    w.open.push(inc("rate_limit", "anthropic", T0, { requests: 3 }));
    expect(n.tick(source)).toBeUndefined();
    w.now += S;
    w.open.push(inc("all_models_failed", "gateway", T0 + S, { count: 1, reasons: {} }));
    expect(n.tick(source)).toBeUndefined();
    w.now += 2 * S;
    const note = n.tick(source)!;
    expect(note.items.map((i) => [i.change, i.kind])).toEqual([["opened", "all_models_failed"], ["opened", "rate_limit"]]);
    expect(note.level).toBe("critical");
    expect(note.title).toBe("every model failing (+1 more)");
    expect(note.items[1]!.facts).toEqual(["since 20:00:00 UTC"]);
    for (const dt of [S, 10 * S, 30 * MIN]) { w.now = T0 + 3 * S + dt; expect(n.tick(source)).toBeUndefined(); }
  });

  it("tells a new fallback and a cooldown once, reminds after the repeat interval, and tells the end once with the downtime", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    const rl = inc("rate_limit", "anthropic", T0);
    const all = inc("all_models_failed", "gateway", T0, { count: 1, reasons: {} });
    w.open.push(rl, all);
    n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items).toHaveLength(2);
    rl.fallbacks = [{ target: "openai/gpt-5.4", failovers: 1, turns: 0 }];
    rl.profiles = [{ id: "sha256:a0b1c2d3e4f5", failures: 1, window: "cooldown", until: T0 + 5 * MIN }];
    w.now += S; expect(n.tick(source)).toBeUndefined();
    w.now += 3 * S;
    const update = n.tick(source)!;
    expect(update.items.map((i) => [i.change, i.facts])).toEqual([["update", ["since 20:00:00 UTC", "profile in cooldown until 20:05:00 UTC (sha256:a0b1c2d3e4f5)", "fell back to openai/gpt-5.4"]]]);
    w.now += 10 * MIN; expect(n.tick(source)).toBeUndefined();
    // An hour after the last message about each: one reminder for both.
    w.now = T0 + 7 * S + H; n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => i.change)).toEqual(["still", "still"]);
    // Every model failing ends 42 minutes after it began.
    w.open = [rl];
    w.closed.push({ ...all, end: T0 + 42 * MIN, endedBy: "success" });
    n.tick(source); w.now += 3 * S;
    const end = n.tick(source)!;
    expect(end.level).toBe("resolved");
    expect(end.items.map((i) => [i.change, i.kind, i.facts])).toEqual([["resolved", "all_models_failed", ["down 42 min (20:00:00 UTC to 20:42:00 UTC)"]]]);
    w.now += 5 * MIN; expect(n.tick(source)).toBeUndefined();
  });

  it("an incident whose start moves earlier (a line read late) is the same incident, not told again", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    const rl = inc("rate_limit", "anthropic", T0 + 5 * S);
    w.open.push(rl); n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items).toHaveLength(1);
    rl.start = T0;
    w.now += 3 * S; n.tick(source); w.now += 3 * S;
    expect(n.tick(source)).toBeUndefined();
    w.open = []; w.closed.push({ ...rl, end: T0 + MIN, endedBy: "quiet" });
    n.tick(source); w.now += END_HOLD_MS; n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => i.change)).toEqual(["resolved"]);
  });

  it("an incident that opens and ends within the group wait is told once, as ended", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    const a = inc("auth", "openai", T0, { reasons: { http_401: 1 } });
    w.open.push(a); n.tick(source);
    w.open = []; w.closed.push({ ...a, last: T0 + 2 * S, end: T0 + 2 * S, endedBy: "success" });
    // Never told: it goes at the end of the group wait, once, as ended (not held back ten
    // minutes like the end of one already told, which a restart could lose).
    w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => [i.change, i.kind])).toEqual([["resolved", "auth"]]);
    w.now += MIN; expect(n.tick(source)).toBeUndefined();
    w.now += END_HOLD_MS; expect(n.tick(source)).toBeUndefined();
  });

  it("an incident seen but not told when the state was saved is still told after a restart, once", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    const b = inc("billing", "fakeb", T0, { reasons: { http_402: 1 } });
    w.open.push(b); expect(n.tick(source)).toBeUndefined();
    const saved = JSON.parse(JSON.stringify(n.toJSON()));
    // Killed within the group wait; by the restart the trouble has ended.
    w.open = []; w.closed.push({ ...b, end: T0 + 2 * S, endedBy: "success" });
    const again = new Notifier(cfg(), "vps-1", () => w.now);
    expect(again.restore(saved)).toBeUndefined();
    w.now += 3 * S; expect(again.tick(source)).toBeUndefined();
    w.now += 3 * S;
    expect(again.tick(source)?.items.map((i) => [i.change, i.kind])).toEqual([["resolved", "billing"]]);
    w.now += MIN; expect(again.tick(source)).toBeUndefined();
  });

  it("a rate limit that ends and comes back within ten minutes (a storm with pauses) is one story: no resolved/opened pair", () => {
    const { w, source } = world();
    const n = new Notifier(cfg(), "vps-1", () => w.now);
    const rl = inc("rate_limit", "anthropic", T0);
    w.open.push(rl); n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items).toHaveLength(1);
    // Quiet: the builder ends it; four minutes later the next turn's 429 reopens the same incident.
    w.open = []; w.closed.push(rl); rl.end = T0 + 2 * MIN; rl.endedBy = "quiet";
    for (let k = 0; k < 8; k++) { w.now += 30 * S; expect(n.tick(source)).toBeUndefined(); }
    w.closed = []; delete rl.end; delete rl.endedBy; rl.last = T0 + 6 * MIN; w.open = [rl];
    for (let k = 0; k < 4; k++) { w.now += 30 * S; expect(n.tick(source)).toBeUndefined(); }
  });

  it("keeps to the minimum severity, skips rare channel errors and history, tells a stuck session at warning", () => {
    const { w, source } = world();
    w.now = T0 + 2 * H;
    w.open.push(inc("lane_wait", "main", w.now), inc("channel", "discord", w.now, { count: 2, detail: "close_4000" }),
      inc("rate_limit", "old", T0), inc("session_attention", "stuck", w.now, { sessions: 1, maxMs: 10 * MIN }));
    const warn = new Notifier(cfg(), "h", () => w.now);
    warn.tick(source); w.now += 3 * S;
    expect(warn.tick(source)?.items.map((i) => i.kind)).toEqual(["session_attention"]);
    const info = new Notifier(cfg({ minSeverity: "info" }), "h", () => w.now);
    info.tick(source); w.now += 3 * S;
    expect(info.tick(source)?.items.map((i) => i.kind).sort()).toEqual(["lane_wait", "session_attention"]);
    const crit = new Notifier(cfg({ minSeverity: "critical" }), "h", () => w.now);
    crit.tick(source); w.now += 3 * S;
    expect(crit.tick(source)).toBeUndefined();
  });

  it("in quiet hours tells only what is critical; the rest goes when they end", () => {
    const { w, source } = world();
    // Local time, as the setting is: 23:00 on a quiet night from 22:00 to 07:00.
    const night = new Date(2026, 10, 21, 23, 0, 0).getTime();
    w.now = night;
    const n = new Notifier(cfg({ quietHours: { from: 22 * 60, to: 7 * 60 } }), "h", () => w.now);
    w.open.push(inc("rate_limit", "anthropic", night));
    n.tick(source); w.now += 3 * S;
    expect(n.tick(source)).toBeUndefined();
    w.open.push(inc("all_models_failed", "gateway", w.now, { count: 1, reasons: {} }));
    n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => i.kind)).toEqual(["all_models_failed"]);
    // Still quiet at 06:59: the outage's hourly reminder goes (critical), the rate limit waits.
    w.now = new Date(2026, 10, 22, 6, 59, 0).getTime(); n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => [i.change, i.kind])).toEqual([["still", "all_models_failed"]]);
    w.now = new Date(2026, 10, 22, 7, 0, 0).getTime(); n.tick(source); w.now += 3 * S;
    expect(n.tick(source)?.items.map((i) => [i.change, i.kind])).toEqual([["opened", "rate_limit"]]);
  });

  it("carries what it told across a restart; a malformed saved state warns and starts afresh", () => {
    const { w, source } = world();
    const first = new Notifier(cfg(), "h", () => w.now);
    w.open.push(inc("billing", "openai", T0, { reasons: { http_402: 1 } }));
    first.tick(source); w.now += 3 * S;
    expect(first.tick(source)?.items).toHaveLength(1);
    const saved = JSON.parse(JSON.stringify(first.toJSON())) as unknown;
    const second = new Notifier(cfg(), "h", () => w.now);
    expect(second.restore(saved)).toBeUndefined();
    second.tick(source); w.now += 3 * S;
    expect(second.tick(source)).toBeUndefined();
    for (const bad of ["garbage", { version: 2 }, { version: 1, seq: 1, entries: [{ id: 3 }] }]) {
      expect(new Notifier(cfg(), "h").restore(bad)).toMatch(/saved notification state dropped, notifications start afresh/);
    }
    const service = new NotifyService(cfg(), "h", new MetricStore(), createLogger("error", () => {}));
    expect(service.restore({ notifier: first.toJSON(), outbox: [{ target: "telegram", note: { id: 1 }, attempts: 0 }] })).toMatch(/outbox dropped/);
  });
});
