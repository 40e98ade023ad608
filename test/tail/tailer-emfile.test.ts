/**
 * tailer_emfile_backoff: out of file handles (EMFILE) the tailer neither crashes nor loses
 * its place: it counts the back-off, lowers its own bound, parks files, and adopts the rest at
 * later polls. 300 files, `ulimit -n 64`, a configured bound of 100,000: every line once.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CHILD = join(import.meta.dirname, "tailer-emfile.child.ts");

describe("tailer out of file handles", () => {
  it("tailer_emfile_backoff: counts, backs off, and hands on every line exactly once", () => {
    const dir = mkdtempSync(join(tmpdir(), "tail-emfile-"));
    try {
      for (let i = 0; i < 300; i++) {
        const name = `openclaw-p${i}-2026-11-21.log`;
        writeFileSync(join(dir, name), `${JSON.stringify({ name, i: 0 })}\n${JSON.stringify({ name, i: 1 })}\n`);
      }
      const out = JSON.parse(execFileSync("bash", ["-c", 'ulimit -n 64 && exec "$@"', "bash", process.execPath, CHILD, dir], { encoding: "utf8" }));
      expect(out.lines).toBe(600);
      expect(out.distinct).toBe(600);
      expect(out.handles.backoffs).toBeGreaterThan(0);
      expect(out.handles.cap).toBeLessThan(64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
