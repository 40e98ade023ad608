import { describe, expect, it } from "vitest";
import { progressText, progressWanted, THRESHOLD_BYTES } from "../../src/sidecar/catch-up-progress.ts";

const MB = 1024 * 1024;

describe("catch-up progress", () => {
  it("is drawn only on a terminal", () => {
    expect(progressWanted({ isTTY: true }, {})).toBe(true);
    expect(progressWanted({ isTTY: false }, {})).toBe(false);
    expect(progressWanted({}, {})).toBe(false);
    expect(progressWanted({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: "1" })).toBe(false);
  });

  it("stays quiet within a few MB of the end", () => {
    expect(progressText(undefined, { atMs: 0, behindBytes: THRESHOLD_BYTES }, false)).toBeUndefined();
    expect(progressText(undefined, { atMs: 0, behindBytes: 1000 }, false)).toBeUndefined();
  });

  it("shows bytes behind, rate and ETA while behind", () => {
    expect(progressText(undefined, { atMs: 0, behindBytes: 100 * MB }, false)).toBe("catching up: 100 MB behind, 0.0 MB/s, ETA -");
    expect(progressText({ atMs: 0, behindBytes: 100 * MB }, { atMs: 1000, behindBytes: 80 * MB }, true))
      .toBe("catching up: 80 MB behind, 20.0 MB/s, ETA 4 s");
    expect(progressText({ atMs: 0, behindBytes: 1000 * MB }, { atMs: 1000, behindBytes: 999 * MB }, true))
      .toBe("catching up: 999 MB behind, 1.0 MB/s, ETA 17 min");
  });

  it("clears a line it drew once caught up", () => {
    expect(progressText({ atMs: 0, behindBytes: 10 * MB }, { atMs: 500, behindBytes: 0 }, true)).toBe("");
  });
});
