import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { Deduper } from "../../src/events/dedupe.ts";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { FIXTURES, runFixture } from "./fixture-io.ts";

const base = { ts: 1_000_000, profile: "" } as const;
const chainEnd: OpenClawEvent = { type: "model.all_failed", origin: "log", via: "chain_end", ...base };
const summary = (ts: number, profile = ""): OpenClawEvent => ({ type: "model.all_failed", origin: "log", via: "summary", ts, profile });

function countByType(events: OpenClawEvent[], d: Deduper): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ev of [...events].sort((a, b) => a.ts - b.ts)) if (d.accept(ev)) out[ev.type] = (out[ev.type] ?? 0) + 1;
  return out;
}

describe("Deduper", () => {
  it("counts each event once when a log and a JSONL of the same gateway carry it", () => {
    const log = runFixture(join(FIXTURES, "jsonl-and-echo", "openclaw-2026-11-21.log")).events;
    const jsonl = runFixture(join(FIXTURES, "jsonl-and-echo", "diagnostics-2026-11-21.jsonl")).events;
    const d = new Deduper();
    d.noteJsonlSource("");
    // As run and replay read them: the JSONL's lines first, so its coverage is known.
    for (const ev of jsonl) d.noteJsonlEvent(ev.profile, ev.ts);
    const counts = countByType([...log, ...jsonl], d);
    const expected: Record<string, number> = {};
    for (const ev of jsonl) expected[ev.type] = (expected[ev.type] ?? 0) + 1;
    // Only the log carries these: lane wait, the HTTP attempt, the end of the fallback chain and
    // the turn the reply runner gave up on.
    Object.assign(expected, { "queue.lane.wait_exceeded": 1, "model.fetch": 1, "model.all_failed": 1, "agent.turn.failed": 1 });
    expect(counts).toEqual(expected);
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    expect(d.stats()).toMatchObject({ dropped_echo: 8, dropped_log_failover: 1, dropped_summary: 1 });
  });
  it("keeps text echoes of a gateway without a JSONL source", () => {
    const log = runFixture(join(FIXTURES, "jsonl-and-echo", "openclaw-2026-11-21.log")).events;
    const d = new Deduper();
    d.noteJsonlSource("other-profile");
    expect(log.filter((ev) => d.accept(ev))).toHaveLength(log.length - 1); // only the summary goes
  });
  it("counts an All models failed summary right after a chain_end once", () => {
    const d = new Deduper();
    expect(d.accept(chainEnd)).toBe(true);
    expect(d.accept(summary(base.ts + 2_000))).toBe(false);
    expect(d.accept(summary(base.ts + 3_000))).toBe(true);
  });
  it("counts a turn written as both res ✗ and the reply runner's line once, in either order, and two turns apart", () => {
    const turn = (ts: number, errorCode: string, profile: string = base.profile): OpenClawEvent =>
      ({ ...base, ts, profile, origin: "log", type: "agent.turn.failed", errorCode, reason: "all_models_failed" });
    const d = new Deduper();
    expect(d.accept(turn(base.ts, "UNAVAILABLE"))).toBe(true);
    expect(d.accept(turn(base.ts + 5, "none"))).toBe(false);
    expect(d.accept(turn(base.ts + 100, "none"))).toBe(true);
    expect(d.accept(turn(base.ts + 200, "UNAVAILABLE"))).toBe(false);
    expect(d.accept(turn(base.ts + 300, "none", "dev"))).toBe(true);
    expect(d.accept(turn(base.ts + 60_000, "UNAVAILABLE"))).toBe(true);
    expect(d.stats()).toMatchObject({ dropped_turn: 2 });
  });
  it("counts a summary outside the window or of another profile", () => {
    const d = new Deduper({ windowMs: 10_000 });
    d.accept(chainEnd);
    expect(d.accept(summary(base.ts + 5_000, "dev"))).toBe(true);
    expect(d.accept(summary(base.ts + 20_000))).toBe(true);
  });
});
