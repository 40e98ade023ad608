/**
 * Each failed attempt counts once in its incident, however many lines describe it: the fetch
 * line, the profile's failure-state line and the decisions after it (rotate_profile,
 * candidate_failed, surface_error), so an incident's count agrees with the profile summary.
 */
import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { describeIncident, IncidentBuilder, type Incident } from "../../src/incidents/index.ts";

const T0 = Date.UTC(2026, 3, 20, 10, 0, 1);
const S = 1000, MIN = 60_000;
const base = (ts: number, ids: { runId?: string; traceId?: string } = {}) => ({ ts, origin: "log" as const, profile: "", ...ids });
const fmt = { utc: true, withDate: false };

const rotation = (ts: number, provider: string, reason: string, profileId: string, runId?: string): OpenClawEvent =>
  ({ type: "auth.profile.rotation", ...base(ts, { runId }), provider, reason, profileId });
const failure = (ts: number, provider: string, reason: string, profileId: string, ids: { runId?: string; traceId?: string } = {}, window: "cooldown" | "disabled" = "cooldown"): OpenClawEvent =>
  ({ type: "auth.profile.failure", ...base(ts, ids), provider, reason, windowType: window, windowReused: false, cooldownUntil: ts + 30 * S, profileId });
const failover = (ts: number, from: string, reason: string, ids: { runId?: string; traceId?: string } = {}, to?: string): OpenClawEvent =>
  ({ type: "model.failover", ...base(ts, ids), fromProvider: from, fromModel: "m", ...(to ? { toProvider: to, toModel: "m2" } : {}), reason });
const surfaced = (ts: number, provider: string, reason: string, runId: string): OpenClawEvent =>
  ({ type: "model.failover.surfaced", ...base(ts, { runId }), provider, reason });
const unavailable = (ts: number, provider: string, reason: string, traceId?: string): OpenClawEvent =>
  ({ type: "auth.provider.unavailable", ...base(ts, { traceId }), provider, reason });
const fetch = (ts: number, provider: string, status: number | undefined, traceId?: string, outcome: "http_error" | "timeout" | "success" = status === 200 ? "success" : "http_error"): OpenClawEvent =>
  ({ type: "model.fetch", ...base(ts, { traceId }), provider, model: "m", status, outcome });

function build(events: OpenClawEvent[]): IncidentBuilder {
  const b = new IncidentBuilder();
  for (const e of events) b.add(e);
  return b;
}
const one = (b: IncidentBuilder, key: string): Incident => {
  const found = b.incidents().filter((i) => i.key === key);
  expect(found, key).toHaveLength(1);
  return found[0]!;
};

describe("one failed attempt, counted once", () => {
  it("without fetch lines (4.14): a rotation, its failure-state line and the failover are one failure", () => {
    const b = build([
      rotation(T0, "anthropic", "rate_limit", "anthr…ab12", "r-31"),
      failure(T0 + 250, "anthropic", "rate_limit", "anthr…ab12", { runId: "r-31" }),
      failover(T0 + 750, "anthropic", "rate_limit", { runId: "r-31" }, "openai"),
      surfaced(T0 + 1750, "openai", "billing", "r-32"),
      failure(T0 + 2000, "openai", "billing", "opena…9f00", { runId: "r-32" }, "disabled"),
    ]);
    const rl = one(b, "rate_limit:anthropic");
    expect(rl).toMatchObject({ count: 1, reasons: { rate_limit: 1 }, last: T0 });
    const billing = one(b, "billing:openai");
    expect(billing).toMatchObject({ count: 1, reasons: { billing: 1 } });
    expect(describeIncident(billing, fmt)).toBe("10:00:02  billing on openai (profile opena…9f00): 1 failure (billing) -> disabled 30s  [ongoing]");
    // The incident and the profile summary tell the same number.
    const prof = b.providers().find((p) => p.provider === "openai")!.profiles[0]!;
    expect(prof.failures).toBe(billing.count);
  });

  it("without fetch lines: two keys failing in one run are two failures, a decision with no failure line is one", () => {
    const b = build([
      rotation(T0, "anthropic", "rate_limit", "anthr…0001", "r-1"),
      failure(T0 + 100, "anthropic", "rate_limit", "anthr…0001", { runId: "r-1" }),
      rotation(T0 + 200, "anthropic", "rate_limit", "anthr…0002", "r-1"),
      failure(T0 + 300, "anthropic", "rate_limit", "anthr…0002", { runId: "r-1" }),
      failover(T0 + 400, "anthropic", "rate_limit", { runId: "r-1" }, "openai"),
      // Another run: only its failover says anthropic failed there.
      failover(T0 + 5 * S, "anthropic", "rate_limit", { runId: "r-2" }, "openai"),
    ]);
    expect(one(b, "rate_limit:anthropic").count).toBe(3);
  });

  it("with fetch lines: the fetch counts, the failure-state line and decisions of its run do not, a skip is no attempt", () => {
    const b = build([
      fetch(T0, "fakea", 429, "trace-a"),
      fetch(T0 + 1400, "fakea", 429, "trace-a"),
      rotation(T0 + 1500, "fakea", "rate_limit", "sha256:a6ae1e8b9c8b", "run-a"),
      failure(T0 + 1510, "fakea", "rate_limit", "sha256:a6ae1e8b9c8b", { runId: "run-a", traceId: "trace-a" }),
      failover(T0 + 1600, "fakea", "rate_limit", { traceId: "trace-a" }, "fakeb"),
      // A later run finds every key in cooldown: a failover without a request, and the skip.
      failover(T0 + 30 * S, "fakea", "rate_limit", { traceId: "trace-b" }),
      unavailable(T0 + 30 * S + 1, "fakea", "rate_limit", "trace-b"),
    ]);
    const inc = one(b, "rate_limit:fakea");
    expect(inc).toMatchObject({ count: 2, requests: 2, skipped: 1, reasons: { http_429: 2 }, start: T0, last: T0 + 1400 });
    expect(describeIncident(inc, fmt)).toBe(
      "10:00:01  rate_limit on fakea (profile sha256:a6ae1e8b9c8b): 2 requests 429 in 1 s -> cooldown 30s -> all profiles unavailable (skipped once) -> fallback to fakeb/m2 (no success seen)  [ongoing]");
  });

  it("tells concurrent runs apart by trace id, and never keeps run or trace ids", () => {
    const b = build([
      fetch(T0, "fakea", 401, "trace-1"),
      fetch(T0 + 100, "fakea", 401, "trace-2"),
      failure(T0 + 200, "fakea", "auth", "sha256:aaaaaaaaaaaa", { runId: "run-1", traceId: "trace-1" }),
      failure(T0 + 300, "fakea", "auth", "sha256:bbbbbbbbbbbb", { runId: "run-2", traceId: "trace-2" }),
      // A third run's failure-state line with no fetch line of its trace: an attempt of its own.
      failure(T0 + 400, "fakea", "auth", "sha256:cccccccccccc", { runId: "run-3", traceId: "trace-3" }),
    ]);
    expect(one(b, "auth:fakea")).toMatchObject({ count: 3, requests: 2 });
    expect(JSON.stringify(b.toJSON())).not.toMatch(/trace-|run-/);
  });

  it("a failure-state line of another cause right after a fetch is its own failure, and the provider's last reason", () => {
    const b = build([fetch(T0, "anthropic", 429), failure(T0 + 1250, "anthropic", "auth", "sha256:0a1b2c3d4e5f", { runId: "run-7f3a" })]);
    expect(one(b, "rate_limit:anthropic")).toMatchObject({ count: 1, requests: 1 });
    expect(one(b, "auth:anthropic")).toMatchObject({ count: 1, reasons: { auth: 1 } });
    expect(b.providers()[0]).toMatchObject({ lastFailure: T0 + 1250, lastFailureReason: "auth" });
    // Right after a fetch of the same cause, the fetch's status is the better reason.
    const same = build([fetch(T0, "fakea", 429), failure(T0 + 100, "fakea", "rate_limit", "sha256:aaaaaaaaaaaa")]);
    expect(same.providers()[0]).toMatchObject({ lastFailureReason: "http_429" });
    expect(one(same, "rate_limit:fakea").count).toBe(1);
  });

  it("a provider only skipped says how often and over how long", () => {
    const b = build([0, 1, 2].map((k) => unavailable(T0 + k * MIN, "openai", "rate_limit")));
    const inc = one(b, "rate_limit:openai");
    expect(inc).toMatchObject({ count: 0, skipped: 3, start: T0, last: T0 + 2 * MIN });
    expect(describeIncident(inc, fmt)).toBe("10:00:01  rate_limit on openai: all profiles unavailable, skipped 3 times in 2 min  [ongoing]");
  });

  it("every model failing names each provider's distinct failures across its runs", () => {
    const b = build([
      fetch(T0, "fakeb", undefined, undefined, "timeout"),
      { type: "model.all_failed", ...base(T0 + S), via: "chain_end", lastReason: "timeout" },
      fetch(T0 + 4 * S, "fakeb", 500),
      { type: "model.all_failed", ...base(T0 + 5 * S), via: "chain_end", lastReason: "server_error" },
      fetch(T0 + 7 * S, "fakea", 429), fetch(T0 + 8 * S, "fakeb", 402),
      { type: "model.all_failed", ...base(T0 + 9 * S), via: "chain_end", lastReason: "rate_limit" },
    ]);
    expect(one(b, "all_models_failed:gateway").providerReasons).toEqual({ fakeb: "timeout/http_500/http_402", fakea: "http_429" });
    expect(describeIncident(one(b, "all_models_failed:gateway"), fmt)).toBe("10:00:02  all models failed (8 s so far): 3 runs failed; timeout/500/402 fakeb, 429 fakea  [ongoing]");
  });
});
