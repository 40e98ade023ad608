/**
 * No unbounded number becomes a label. Statically: every attribute key in the catalogue is
 * one of a known set, each with the reason its values are bounded. Dynamically: every event
 * of the golden scenarios is recorded again with each of its numbers (counts, durations,
 * depths, statuses, attempts, ids...) replaced by many distinct values; no metric may gain a
 * series per distinct number.
 */
import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { SCENARIOS } from "./scenario-events.ts";

/** Why each key cannot take unboundedly many values. */
const BOUNDED_BY: Record<string, string> = {
  "openclaw.channel": "channel names", "openclaw.provider": "provider names", "openclaw.model": "model names",
  "openclaw.token": "token types", "openclaw.context": "limit/used", "openclaw.webhook": "update types", "openclaw.outcome": "outcome enum",
  "openclaw.state": "session states", "openclaw.reason": "reason enum", "openclaw.lane": "lane prefix",
  "openclaw.attempt": "attempt 1-9, else 10+", "openclaw.http.status": "100-599, else other",
  "openclaw.toolName": "tool names", "openclaw.loop.level": "enum", "openclaw.loop.action": "enum",
  "openclaw.loop.detector": "enum", "openclaw.loop.paired_tool": "tool names",
  "openclaw.liveness.reason": "enum", "openclaw.memory.level": "enum", "openclaw.memory.reason": "enum",
  "openclaw.failover.to_provider": "provider names", "openclaw.failover.to_model": "model names",
  "openclaw.failover.reason": "reason enum", "openclaw.failover.suspended": "true/false/unknown",
  "openclaw.window": "cooldown/disabled", "openclaw.kind": "enum", "openclaw.classification": "enum",
  "openclaw.method": "API method names", "openclaw.phase": "enum", "openclaw.close_code": "WebSocket close codes (4 digits)",
  "openclaw.source": "log/jsonl", "openclaw.event.type": "event types", "openclaw.origin": "log/jsonl",
  "openclaw.file": "followed file names (the tailer's own)", "openclaw.signal": "metrics/traces", "openclaw.notify.target": "the five target names (config/notify.ts)",
  "openclaw.metric": "catalogue names",
  "openclaw.error_code": "gateway RPC error codes (UNAVAILABLE, INVALID_REQUEST, ...; [A-Z_]{1,40} in the parser)",
};

describe("bounded attributes", () => {
  it("every catalogue attribute key has a reason its values are bounded, and none names a quantity", () => {
    for (const m of METRICS) {
      for (const key of m.attributes) {
        expect(BOUNDED_BY[key], `${m.name} ${key}`).toBeDefined();
        expect(key, m.name).not.toMatch(/(count|_ms|size|depth|age|seq|tokens|_id|Id)$/);
      }
    }
  });

  function seriesCounts(variants: number): Map<string, number> {
    const store = new MetricStore({ seriesCap: 100_000, strictKeys: true, now: () => 0 });
    for (const events of Object.values(SCENARIOS)) {
      for (const ev of events) for (let i = 0; i < variants; i++) countEvent(store, renumber(ev, 1000 + i * 7));
    }
    return new Map(store.listMetrics().map((m) => [m.def.name, m.series.size]));
  }

  it("numbers in events never multiply series", () => {
    const few = seriesCounts(5);
    const many = seriesCounts(60);
    const grown = [...many].filter(([name, n]) => n !== few.get(name)).map(([name, n]) => `${name}: ${few.get(name)} -> ${n}`);
    expect(grown).toEqual([]);
    // The check can fail: a numeric label would have grown by 55.
    expect([...many.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  });
});

/** The event with every number but its timestamp set to `n` (nested objects too). */
function renumber<T>(value: T, n: number, key = ""): T {
  if (typeof value === "number") return (key === "ts" ? value : n) as T;
  if (Array.isArray(value)) return value.map((v) => renumber(v, n)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renumber(v, n, k)])) as T;
  }
  return value;
}
export type { OpenClawEvent };
