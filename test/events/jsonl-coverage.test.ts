/**
 * The time a JSONL covers (src/events/jsonl-coverage.ts): each line at x covers
 * [x - 2 s, x + 60 s] of its profile. Expected answers come from that formula over the times
 * fed in, checked against a brute-force scan of the same times.
 */
import { describe, expect, it } from "vitest";
import { AFTER_MS, BEFORE_MS, JsonlCoverage } from "../../src/events/jsonl-coverage.ts";
import { prng } from "../support/prng.ts";

const brute = (times: number[], t: number) => times.some((x) => t >= x - BEFORE_MS && t <= x + AFTER_MS);

describe("JsonlCoverage", () => {
  it("covers 2 s before to 60 s after each line, per profile, and nothing else", () => {
    const c = new JsonlCoverage();
    c.note("", 1_000_000);
    expect([c.covers("", 1_000_000 - BEFORE_MS), c.covers("", 1_000_000 - BEFORE_MS - 1)]).toEqual([true, false]);
    expect([c.covers("", 1_000_000 + AFTER_MS), c.covers("", 1_000_000 + AFTER_MS + 1)]).toEqual([true, false]);
    expect(c.covers("dev", 1_000_000)).toBe(false);
    expect(c.end("")).toBe(1_000_000);
    expect(c.end("dev")).toBe(-Infinity);
  });

  it("answers as a scan of every line would, for lines in order, out of order, and after a restore", () => {
    const rand = prng(7);
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 400; i++) {
      // Bursts of activity and idle gaps on both sides of the 62 s that joins two lines.
      t += rand() < 0.2 ? 60_000 + Math.floor(rand() * 300_000) : Math.floor(rand() * 30_000);
      times.push(t);
    }
    const shuffled = [...times];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const inOrder = new JsonlCoverage();
    for (const x of times) inOrder.note("p", x);
    const anyOrder = new JsonlCoverage();
    for (const x of shuffled) anyOrder.note("p", x);
    const restored = new JsonlCoverage();
    restored.restore(JSON.parse(JSON.stringify(inOrder.snapshot())));
    let gaps = 0;
    for (let q = -5_000; q < t + 70_000; q += 997) {
      const want = brute(times, q);
      if (!want) gaps++;
      expect([inOrder.covers("p", q), anyOrder.covers("p", q), restored.covers("p", q)], `t=${q}`).toEqual([want, want, want]);
    }
    expect(gaps).toBeGreaterThan(100);
  });

  it("ignores a saved state it cannot use", () => {
    const c = new JsonlCoverage();
    c.restore({ spans: { "": [[5, 1], ["a", 2], [1, 2, 3]] as never, dev: "x" as never } });
    expect(c.covers("", 3)).toBe(false);
    expect(c.snapshot()).toEqual({ spans: {} });
  });
});
