/**
 * Scenario tests for file identity: rotation, the midnight switch, copy-truncate, truncation,
 * deletion and restarts. Every test drives pollOnce() directly and checks that each written
 * line was handed on exactly once.
 */
import { appendFileSync, copyFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expected, harness, lines, type Harness } from "./helpers.ts";

const LIVE = "openclaw-2026-11-21.log";
const ROTATED = "openclaw-2026-11-21.1.log";
let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe("tailer rotation scenarios", () => {
  it("log_rotation", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 30));
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(expected("a", 0, 30));
    appendFileSync(h.path(LIVE), lines("a", 30, 40)); // written, not yet read, then rotated
    renameSync(h.path(LIVE), h.path(ROTATED));
    writeFileSync(h.path(LIVE), lines("b", 0, 5));
    expect(await h.poll(t)).toEqual([...expected("a", 30, 40), ...expected("b", 0, 5)]);
    appendFileSync(h.path(LIVE), lines("b", 5, 7));
    expect(await h.poll(t)).toEqual(expected("b", 5, 7));
    expect(t.snapshot().map((f) => f.path).sort()).toEqual([h.path(LIVE), h.path(ROTATED)].sort());
  });

  it("midnight_switch", async () => {
    const yesterday = "openclaw-2026-11-20.log";
    writeFileSync(h.path(yesterday), lines("d20", 0, 10));
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(expected("d20", 0, 10));
    writeFileSync(h.path(LIVE), lines("d21", 0, 3));
    appendFileSync(h.path(yesterday), lines("d20", 10, 12)); // a late writer still on the old day
    expect((await h.poll(t)).sort()).toEqual([...expected("d20", 10, 12), ...expected("d21", 0, 3)].sort());
    appendFileSync(h.path(yesterday), lines("d20", 12, 13));
    appendFileSync(h.path(LIVE), lines("d21", 3, 4));
    expect(await h.poll(t)).toEqual([...expected("d20", 12, 13), ...expected("d21", 3, 4)]);
  });

  it("copy_truncate", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 20));
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(expected("a", 0, 20));
    // Lines written before the copy but not read yet are in the copy: read there, once.
    appendFileSync(h.path(LIVE), lines("a", 20, 25));
    copyFileSync(h.path(LIVE), h.path(ROTATED));
    truncateSync(h.path(LIVE), 0);
    appendFileSync(h.path(LIVE), lines("b", 0, 4));
    expect(await h.poll(t)).toEqual([...expected("b", 0, 4), ...expected("a", 20, 25)]);
    appendFileSync(h.path(LIVE), lines("b", 4, 6));
    expect(await h.poll(t)).toEqual(expected("b", 4, 6));
  });

  it("copy_truncate seen in two polls (copy first, truncation later)", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 20));
    const t = h.tailer({ files: [] });
    await h.poll(t);
    appendFileSync(h.path(LIVE), lines("a", 20, 22));
    copyFileSync(h.path(LIVE), h.path(ROTATED));
    expect(await h.poll(t)).toEqual(expected("a", 20, 22));
    truncateSync(h.path(LIVE), 0);
    expect(await h.poll(t)).toEqual([]);
    appendFileSync(h.path(LIVE), lines("b", 0, 3));
    expect(await h.poll(t)).toEqual(expected("b", 0, 3));
  });

  it("copy_truncate where the original grew after the copy, across a restart", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 20));
    const first = h.tailer({ files: [] });
    await h.poll(first);
    copyFileSync(h.path(LIVE), h.path(ROTATED));
    appendFileSync(h.path(LIVE), lines("a", 20, 22)); // after the copy: only in the original
    expect(await h.poll(first)).toEqual(expected("a", 20, 22));
    // The copy is shorter than the offset it continues from: that is not a truncation.
    const saved = first.snapshot();
    await first.close();
    truncateSync(h.path(LIVE), 0);
    appendFileSync(h.path(LIVE), lines("b", 0, 2));
    const second = h.tailer({ files: saved });
    expect(await h.poll(second)).toEqual(expected("b", 0, 2));
    expect(await h.poll(second)).toEqual([]);
  });

  it("truncation", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 20));
    const t = h.tailer({ files: [] });
    await h.poll(t);
    truncateSync(h.path(LIVE), 0);
    expect(await h.poll(t)).toEqual([]);
    expect(t.snapshot()[0]?.offset).toBe(0);
    appendFileSync(h.path(LIVE), lines("b", 0, 2));
    expect(await h.poll(t)).toEqual(expected("b", 0, 2));
  });

  it("truncation followed by regrowth past the old offset before the next poll", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 3));
    const t = h.tailer({ files: [] });
    await h.poll(t);
    writeFileSync(h.path(LIVE), lines("b", 0, 10)); // O_TRUNC + a bigger content, same inode
    expect(await h.poll(t)).toEqual(expected("b", 0, 10));
  });

  it("deleted", async () => {
    writeFileSync(h.path("openclaw-2026-11-20.log"), lines("old", 0, 5));
    writeFileSync(h.path(LIVE), lines("a", 0, 5));
    const t = h.tailer({ files: [] });
    await h.poll(t);
    appendFileSync(h.path("openclaw-2026-11-20.log"), lines("old", 5, 6));
    unlinkSync(h.path("openclaw-2026-11-20.log")); // the 24 h pruning; its last line is still read
    expect(await h.poll(t)).toEqual(expected("old", 5, 6));
    // Dropped once a second scan misses it too (one scan may miss a file renamed during it).
    expect(await h.poll(t)).toEqual([]);
    expect(t.snapshot().map((f) => f.path)).toEqual([h.path(LIVE)]);
    expect(t.stats().filesOpen).toEqual({ log: 1, diagnostics: 0 });
    expect(h.errors).toEqual([]);
  });

  it("deleted_while_stopped", async () => {
    writeFileSync(h.path("openclaw-2026-11-20.log"), lines("old", 0, 5));
    writeFileSync(h.path(LIVE), lines("a", 0, 5));
    const first = h.tailer({ files: [] });
    await h.poll(first);
    const saved = first.snapshot();
    await first.close();
    unlinkSync(h.path("openclaw-2026-11-20.log"));
    appendFileSync(h.path(LIVE), lines("a", 5, 6));
    const second = h.tailer({ files: saved });
    expect(await h.poll(second)).toEqual(expected("a", 5, 6));
    // Its entry is dropped once a second scan misses it too (see scan_race_on_restart).
    expect(await h.poll(second)).toEqual([]);
    expect(second.snapshot().map((f) => f.path)).toEqual([h.path(LIVE)]);
    expect(h.errors).toEqual([]);
  });

  it("restart_resumes", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 10));
    appendFileSync(h.path(LIVE), '{"partial":'); // an unfinished line at snapshot time
    const first = h.tailer({ files: [] });
    expect(await h.poll(first)).toEqual(expected("a", 0, 10));
    const saved = first.snapshot();
    expect(saved[0]?.offset).toBe(Buffer.byteLength(lines("a", 0, 10)));
    await first.close();
    appendFileSync(h.path(LIVE), `true}\n${lines("a", 10, 12)}`);
    const second = h.tailer({ files: saved });
    expect(await h.poll(second)).toEqual(['{"partial":true}', ...expected("a", 10, 12)]);
    expect(h.records.filter((r) => r.line === expected("a", 0, 1)[0])).toHaveLength(1);
  });

  it("written_while_down", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 10));
    const first = h.tailer({ files: [] });
    await h.poll(first);
    const saved = first.snapshot();
    await first.close();
    // While down: more lines, a rename rotation, a new live file, a new profile, a new day.
    appendFileSync(h.path(LIVE), lines("a", 10, 15));
    renameSync(h.path(LIVE), h.path(ROTATED));
    writeFileSync(h.path(LIVE), lines("b", 0, 3));
    writeFileSync(h.path("openclaw-dev-2026-11-21.log"), lines("dev", 0, 2));
    writeFileSync(h.path("diagnostics-2026-11-22.jsonl"), lines("diag", 0, 2));
    const second = h.tailer({ files: saved });
    const got = await h.poll(second);
    expect(got.sort()).toEqual([...expected("a", 10, 15), ...expected("b", 0, 3), ...expected("dev", 0, 2), ...expected("diag", 0, 2)].sort());
  });

  it("profile_files", async () => {
    const t = h.tailer({ files: [] });
    await h.poll(t);
    writeFileSync(h.path("openclaw-dev-2026-11-21.log"), lines("dev", 0, 1));
    writeFileSync(h.path("diagnostics-dev-2026-11-21.jsonl"), lines("ddev", 0, 1));
    writeFileSync(h.path(LIVE), lines("main", 0, 1));
    writeFileSync(h.path("openclaw.log"), lines("ignored", 0, 1));
    await h.poll(t);
    expect(h.records.map((r) => [r.source, r.profile, r.line]).sort()).toEqual(
      [["diagnostics", "dev", expected("ddev", 0, 1)[0]], ["log", "", expected("main", 0, 1)[0]], ["log", "dev", expected("dev", 0, 1)[0]]].sort(),
    );
  });

  it("restores a small file whose fingerprint has grown since the checkpoint", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 2)); // < 1 KiB: a short fingerprint
    const first = h.tailer({ files: [] });
    await h.poll(first);
    const saved = first.snapshot();
    expect(saved[0]?.fingerprintBytes).toBe(Buffer.byteLength(lines("a", 0, 2)));
    await first.close();
    appendFileSync(h.path(LIVE), lines("a", 2, 40));
    const second = h.tailer({ files: saved });
    expect(await h.poll(second)).toEqual(expected("a", 2, 40));
    expect(second.snapshot()[0]?.fingerprintBytes).toBe(1024);
  });
});
