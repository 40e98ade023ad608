import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { describeIncident, IncidentBuilder, type Incident } from "../../src/incidents/index.ts";

const T0 = Date.UTC(2026, 10, 21, 20, 22, 14);
const S = 1000, MIN = 60_000;
const base = (ts: number) => ({ ts, origin: "log" as const, profile: "" });
const fmt = { utc: true, withDate: false };

function fetch(ts: number, provider: string, model: string, status?: number, outcome: "success" | "http_error" | "timeout" = status === 200 ? "success" : "http_error"): OpenClawEvent {
  return { type: "model.fetch", ...base(ts), provider, model, status, outcome };
}
function usage(ts: number, provider: string, model: string): OpenClawEvent {
  return { type: "model.usage", ...base(ts), origin: "jsonl", provider, model, usage: { input: 10 } };
}
function build(events: OpenClawEvent[], opts = {}): IncidentBuilder {
  const b = new IncidentBuilder(opts);
  for (const e of events) b.add(e);
  return b;
}
const only = (b: IncidentBuilder, kind: string): Incident => {
  const found = b.incidents().filter((i) => i.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("IncidentBuilder", () => {
  const storm: OpenClawEvent[] = [
    fetch(T0, "google", "gemini-2.5-pro", 429),
    fetch(T0 + 30 * S, "google", "gemini-2.5-pro", 429),
    { type: "auth.profile.failure", ...base(T0 + 31 * S), provider: "google", reason: "rate_limit", windowType: "cooldown", windowReused: false, cooldownUntil: T0 + 91 * S, profileId: "goo…ab12" },
    { type: "auth.profile.rotation", ...base(T0 + 32 * S), provider: "google", reason: "rate_limit", profileId: "goo…ab12" },
    fetch(T0 + 3 * MIN, "google", "gemini-2.5-pro", 429),
    { type: "model.failover", ...base(T0 + 3 * MIN + S), fromProvider: "google", fromModel: "gemini-2.5-pro", toProvider: "zhipu", toModel: "glm-4.7", reason: "rate_limit" },
    fetch(T0 + 3 * MIN + 2 * S, "zhipu", "glm-4.7", 200),
    usage(T0 + 3 * MIN + 3 * S, "zhipu", "glm-4.7"),
    usage(T0 + 4 * MIN, "zhipu", "glm-4.7"),
    usage(T0 + 4 * MIN + S, "openai", "gpt-5"),
  ];

  it("makes a rate-limit storm with its profile, cooldown, fallback and turns", () => {
    const b = build(storm);
    const inc = only(b, "rate_limit");
    expect(inc).toMatchObject({ subject: "google", start: T0, last: T0 + 3 * MIN, count: 3, requests: 3, windowsOpened: 1, windowLengthsMs: [60_000] });
    expect(inc.end).toBeUndefined();
    expect(inc.profiles).toEqual([{ id: "goo…ab12", failures: 1, window: "cooldown", until: T0 + 91 * S }]);
    expect(inc.fallbacks).toEqual([{ target: "zhipu/glm-4.7", failovers: 1, turns: 2, okRequests: 1 }]);
    expect(describeIncident(inc, fmt)).toBe(
      "20:22:14  rate_limit on google (profile goo…ab12): 3 requests 429 in 3 min -> cooldown 1m -> fallback to zhipu/glm-4.7 (2 turns)  [ongoing]");
    expect(b.verdict(T0 + 5 * MIN)).toMatchObject({ state: "degraded", since: T0, incidents: ["rate_limit:google"] });
  });

  it("ends a storm at the provider's next success, or when it has been quiet for 2 min", () => {
    const ok = build([...storm, fetch(T0 + 4 * MIN + 30 * S, "google", "gemini-2.5-pro", 200)]);
    expect(only(ok, "rate_limit")).toMatchObject({ end: T0 + 4 * MIN + 30 * S, endedBy: "success" });
    const quiet = build(storm);
    // Quiet counts from the last failed request: the failover line after it is about that request.
    quiet.advance(T0 + 5 * MIN);
    expect(only(quiet, "rate_limit").end).toBeUndefined();
    quiet.advance(T0 + 5 * MIN + S);
    expect(only(quiet, "rate_limit")).toMatchObject({ end: T0 + 3 * MIN, endedBy: "quiet" });
    expect(quiet.verdict(T0 + 9 * MIN)).toMatchObject({ state: "healthy", since: T0 + 3 * MIN });
  });

  it("keeps auth and billing trouble per provider with the disabled window, and hashes raw profile ids", () => {
    const b = build([
      fetch(T0, "openai", "gpt-5", 401),
      { type: "auth.profile.failure", ...base(T0 + S), provider: "openai", reason: "auth_permanent", windowType: "disabled", disabledUntil: T0 + S + 5 * 3600_000, profileId: "openai:ops@example.com" },
      fetch(T0 + 2 * S, "zhipu", "glm-4.7", 402),
      { type: "auth.profile.failure", ...base(T0 + 3 * S), provider: "zhipu", reason: "billing", windowType: "disabled", disabledUntil: T0 + 3 * S + 18_000_000 },
    ]);
    const auth = only(b, "auth");
    expect(auth.profiles?.[0]?.id).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(describeIncident(auth, fmt)).toMatch(/^20:22:14  auth on openai \(profile sha256:[0-9a-f]{12}\): 1 request 401 -> disabled 5h {2}\[ongoing\]$/);
    expect(only(b, "billing")).toMatchObject({ subject: "zhipu", requests: 1, windowLengthsMs: [18_000_000] });
    expect(JSON.stringify(b.toJSON())).not.toContain("example.com");
    // The disabled window keeps it going past the quiet period, up to its end.
    b.advance(T0 + 3 * 3600_000);
    expect(b.ongoing().map((i) => i.key).sort()).toEqual(["auth:openai", "billing:zhipu"]);
    b.advance(T0 + 6 * 3600_000);
    expect(b.ongoing()).toEqual([]);
  });

  it("ends an auth incident once its profiles fail for another reason (the provider accepted them)", () => {
    const pf = (ts: number, reason: string, profileId: string): OpenClawEvent =>
      ({ type: "auth.profile.failure", ...base(ts), provider: "fakea", reason, windowType: "cooldown", cooldownUntil: ts + 30 * S, profileId });
    const b = build([pf(T0, "auth", "sha256:aaaaaaaaaaaa"), pf(T0 + S, "auth", "sha256:bbbbbbbbbbbb"), pf(T0 + MIN, "rate_limit", "sha256:aaaaaaaaaaaa")]);
    expect(b.ongoing().map((i) => i.key)).toContain("auth:fakea");
    b.add(pf(T0 + 2 * MIN, "rate_limit", "sha256:bbbbbbbbbbbb"));
    expect(only(b, "auth")).toMatchObject({ end: T0 + 2 * MIN, endedBy: "cleared" });
  });

  it("makes every-model-failing a down incident with reasons per provider, ended by the next success", () => {
    const start = Date.UTC(2026, 10, 21, 21, 5, 0);
    const b = build([
      fetch(start - 20 * S, "google", "gemini", 429), fetch(start - 10 * S, "zhipu", "glm-4.7", 403),
      fetch(start - 5 * S, "kimi", "k2", undefined, "timeout"),
      { type: "model.all_failed", ...base(start), via: "chain_end", attempts: 3, lastReason: "timeout" },
      fetch(start + 10 * MIN, "google", "gemini", 429),
      { type: "model.all_failed", ...base(start + 20 * MIN), via: "summary", attempts: 3, lastReason: "timeout" },
      fetch(start + 30 * MIN, "kimi", "k2", undefined, "timeout"),
    ]);
    const inc = only(b, "all_models_failed");
    expect(inc).toMatchObject({ severity: "down", count: 2, providerReasons: { google: "http_429", zhipu: "http_403", kimi: "timeout" } });
    expect(b.verdict(start + 21 * MIN)).toMatchObject({ state: "down", since: start, reason: "every model failing" });
    b.add(usage(start + 36 * MIN, "kimi", "k2"));
    expect(describeIncident(only(b, "all_models_failed"), fmt)).toBe(
      "21:05-21:41  all models failed (36 min): 2 runs failed; 429 google, 403 zhipu, timeout kimi, ended by a successful turn");
  });

  it("groups stuck sessions by digest, never keeps their keys, and ends when they are idle again", () => {
    const stuck = (ts: number, key: string, ageMs: number): OpenClawEvent =>
      ({ type: "session.stuck", ...base(ts), sessionKey: key, state: "processing", ageMs, classification: "stalled_agent_run" });
    const b = build([stuck(T0, "agent:main:telegram:direct:4242", 150_000), stuck(T0 + MIN, "agent:main:telegram:direct:4242", 210_000), stuck(T0 + MIN, "agent:main:discord:777", 130_000)]);
    const inc = only(b, "session_attention");
    expect(inc).toMatchObject({ subject: "stuck", sessions: 2, maxMs: 210_000, count: 3 });
    expect(JSON.stringify(b.toJSON())).not.toMatch(/4242|777|agent:main/);
    const idle = (ts: number, key: string): OpenClawEvent => ({ type: "session.state", ...base(ts), sessionKey: key, state: "idle" });
    b.add(idle(T0 + 2 * MIN, "agent:main:telegram:direct:4242"));
    expect(b.ongoing()).toHaveLength(1);
    b.add(idle(T0 + 3 * MIN, "agent:main:discord:777"));
    expect(only(b, "session_attention")).toMatchObject({ end: T0 + 3 * MIN, endedBy: "cleared" });
  });

  it("reports lane waits over 30 s and queues deeper than 10 by lane class only", () => {
    const b = build([
      { type: "queue.lane.dequeue", ...base(T0), lane: "session:agent:main:telegram:direct:4242", queueSize: 0, waitMs: 45_000 },
      { type: "queue.lane.dequeue", ...base(T0 + S), lane: "main", queueSize: 0, waitMs: 29_000 },
      { type: "queue.lane.enqueue", ...base(T0 + 2 * S), lane: "main", queueSize: 12 },
      { type: "queue.lane.enqueue", ...base(T0 + 3 * S), lane: "main", queueSize: 14 },
      { type: "queue.lane.dequeue", ...base(T0 + 4 * S), lane: "main", queueSize: 3, waitMs: 100 },
    ]);
    expect(only(b, "lane_wait")).toMatchObject({ subject: "session", maxMs: 45_000, count: 1 });
    expect(only(b, "queue_depth")).toMatchObject({ subject: "main", maxDepth: 14, end: T0 + 4 * S, endedBy: "cleared" });
    expect(JSON.stringify(b.toJSON())).not.toContain("4242");
  });

  it("counts channel trouble by method, close code and restart reason", () => {
    const tg = (ts: number): OpenClawEvent => ({ type: "channel.telegram.network_error", ...base(ts), phase: "send", method: "sendMessage" });
    const b = build([tg(T0), tg(T0 + S), tg(T0 + 2 * S), tg(T0 + 3 * S),
      { type: "channel.websocket.close", ...base(T0 + 4 * S), channel: "discord", code: "1006" },
      { type: "channel.health_monitor.restart", ...base(T0 + 5 * S), channel: "discord", reason: "stale-socket" }]);
    const lines = b.incidents().map((i) => describeIncident(i, fmt));
    expect(lines).toEqual([
      "20:22:14  telegram sendMessage network error x4  [ongoing]",
      "20:22:18  discord websocket close (code_1006)  [ongoing]",
      "20:22:19  discord health restart (stale-socket)  [ongoing]",
    ]);
  });

  it("claims a gap only after a heartbeat cadence, and calls a silent gateway down", () => {
    const hb = (ts: number): OpenClawEvent => ({ type: "diagnostic.heartbeat", ...base(ts), origin: "jsonl", webhooks: { received: 0, processed: 0, errors: 0 }, active: 0, waiting: 0, queued: 0 });
    const b = build([hb(T0), hb(T0 + 30 * S), hb(T0 + 60 * S), hb(T0 + 13 * MIN)]);
    expect(only(b, "gap")).toMatchObject({ start: T0 + 60 * S, end: T0 + 13 * MIN, maxMs: 12 * MIN, severity: "down" });
    expect(b.verdict(T0 + 14 * MIN).state).toBe("healthy");
    expect(b.verdict(T0 + 19 * MIN)).toMatchObject({ state: "down", since: T0 + 13 * MIN });
    // Without a heartbeat cadence a quiet log is just quiet.
    const quiet = build([fetch(T0, "a", "m", 200), fetch(T0 + 60 * MIN, "a", "m", 200)]);
    expect(quiet.incidents()).toEqual([]);
    expect(quiet.verdict(T0 + 120 * MIN).state).toBe("healthy");
    expect(new IncidentBuilder().verdict(T0).state).toBe("unknown");
  });

  it("keeps lost log records with the number dropped", () => {
    const b = build([{ type: "log.loss", ...base(T0), kind: "queue_overflow", dropped: 120 }, { type: "log.loss", ...base(T0 + S), kind: "queue_overflow", dropped: 30 }]);
    expect(describeIncident(only(b, "log_loss"), fmt)).toBe("20:22:14  log records lost: queue_overflow x2 (150 records)  [ongoing]");
  });

  it("resumes from its JSON state exactly where it stopped", () => {
    const whole = build(storm);
    const half = build(storm.slice(0, 5));
    const restored = IncidentBuilder.fromJSON(JSON.parse(JSON.stringify(half.toJSON())));
    for (const e of storm.slice(5)) restored.add(e);
    expect(restored.toJSON()).toEqual(whole.toJSON());
    expect(restored.ongoing().map((i) => i.key)).toEqual(["rate_limit:google"]);
    expect(() => IncidentBuilder.fromJSON({ version: 2 })).toThrow(/not version 1/);
    expect(() => IncidentBuilder.fromJSON({ ...half.toJSON(), open: [{ key: 1 }] })).toThrow(/malformed/);
  });

  it("stays bounded: open incidents, sessions, providers and closed incidents are capped", () => {
    const b = new IncidentBuilder({ maxClosed: 50 });
    for (let i = 0; i < 500; i++) {
      b.add({ type: "channel.telegram.network_error", ...base(T0 + i), phase: "send", method: `m${i}` });
      b.add({ type: "session.stuck", ...base(T0 + i), sessionKey: `s-${i}`, state: "processing", ageMs: 1 });
      b.add(fetch(T0 + i, `p${i}`, "m", 500));
    }
    const s = b.toJSON();
    expect(s.open.length).toBeLessThanOrEqual(64);
    expect(s.attention.length).toBeLessThanOrEqual(64);
    expect(s.providers.length).toBeLessThanOrEqual(32);
    b.advance(T0 + 20 * MIN);
    expect(b.toJSON().closed.length).toBeLessThanOrEqual(50);
    expect(b.toJSON().dropped).toBeGreaterThan(0);
    // Retention: a day later the closed incidents are gone.
    b.advance(T0 + 25 * 3600_000);
    expect(b.toJSON().closed).toEqual([]);
  });
});
