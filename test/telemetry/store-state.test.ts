import { describe, expect, it } from "vitest";
import { parseStoreState } from "../../src/telemetry/storage/store-state.ts";

const good = () => ({
  version: 1,
  metrics: [{
    name: "openclaw.queue.lane.enqueue", startTimeUnixNano: "1763719200000000000", extra: "dropped",
    series: [
      { attrs: { "openclaw.lane": "main" }, value: 3 },
      { attrs: {}, hist: { counts: [1, 0, 2], sum: 9, count: 3, min: 1, max: 5 } },
    ],
  }],
  active: {
    eventClockMs: 1763719200000,
    cooldowns: [{ provider: "anthropic", window: "cooldown", profile: "p1", untilMs: 1763719260000 }],
    stuck: [{ session: "s-1", kind: "stalled", lastWarningMs: 1763719100000 }],
  },
});

describe("parseStoreState (checked without zod)", () => {
  it("keeps the known fields of a good state and drops unknown ones", () => {
    const parsed = parseStoreState(good());
    const expected = good() as Record<string, unknown> & ReturnType<typeof good>;
    delete (expected.metrics[0] as Record<string, unknown>)["extra"];
    expect(parsed).toEqual(expected);
    expect("extra" in parsed.metrics[0]!).toBe(false);
  });

  it.each([
    ["a non-digit start time", (s: ReturnType<typeof good>) => { s.metrics[0]!.startTimeUnixNano = "12x"; }, /metrics\[0\]\.startTimeUnixNano/],
    ["a label value that is a number", (s: ReturnType<typeof good>) => { (s.metrics[0]!.series[0]!.attrs as Record<string, unknown>)["openclaw.lane"] = 1; }, /series\[0\]\.attrs\.openclaw\.lane/],
    ["an unknown cooldown window", (s: ReturnType<typeof good>) => { (s.active.cooldowns[0] as Record<string, unknown>)["window"] = "open"; }, /cooldowns\[0\]\.window/],
    ["a histogram count that is a string", (s: ReturnType<typeof good>) => { (s.metrics[0]!.series[1]!.hist!.counts as unknown[])[1] = "0"; }, /hist\.counts\[1\]/],
    ["no active part", (s: ReturnType<typeof good>) => { delete (s as Partial<typeof s>).active; }, /at active/],
    ["a value that is not a number", (s: ReturnType<typeof good>) => { (s.metrics[0]!.series[0] as Record<string, unknown>)["value"] = null; }, /series\[0\]\.value/],
  ])("rejects %s as malformed, naming where", (_what, spoil, where) => {
    const s = good();
    spoil(s);
    expect(() => parseStoreState(s)).toThrow(/telemetry state is malformed/);
    expect(() => parseStoreState(s)).toThrow(where);
  });

  it("rejects another version before looking at the rest", () => {
    expect(() => parseStoreState({ version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => parseStoreState(null)).toThrow(/version undefined is not supported/);
  });
});
