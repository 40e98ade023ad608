/**
 * first_start_crash_loop: with no checkpoint, existing files start at their end, once per
 * installation. A sidecar SIGKILLed before its first interval checkpoint (a crash loop, an OOM
 * kill) must not start at the end again on the next start: every line appended between the
 * kills is counted. Before the fix the state directory stayed empty and all were skipped.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkpointLinesRead, fixtureLines, startCli } from "./helpers.ts";

const FIXTURE = join(import.meta.dirname, "../fixtures/openclaw-2026.4.14-style/openclaw-2026-04-20.log");

describe("run killed before its first checkpoint", () => {
  it("first_start_crash_loop: lines appended between SIGKILLs are all counted", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-first-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-first-state-"));
    const lines = fixtureLines(FIXTURE);
    const file = join(logs, "openclaw-2026-11-21.log");
    appendFileSync(file, lines.slice(0, 20).join("\n") + "\n"); // there before the first start: skipped
    // An hour between interval checkpoints: only the start-up checkpoint can be on disk.
    const args = ["run", "--logs", logs, "--state-dir", state, "--listen", "off", "--poll-interval", "20", "--checkpoint-interval", "3600000"];
    let appended = 0;
    for (let round = 0; round < 3; round++) {
      const child = startCli(args);
      await child.ready;
      child.proc.kill("SIGKILL");
      await child.exited;
      appendFileSync(file, lines.slice(round * 10, round * 10 + 10).join("\n") + "\n");
      appended += 10;
    }
    const last = startCli(args);
    await last.ready;
    last.proc.kill("SIGTERM");
    expect(await last.exited).toBe(0);
    expect(checkpointLinesRead(state)).toBe(appended);
    rmSync(logs, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }, 60_000);
});
