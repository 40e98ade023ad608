/**
 * many_files_low_ulimit: 2,000 log files (40 profiles x 10 days x live + 4 rotations) under
 * `ulimit -n 1024`, the real CLI. Before the open-file bound every followed file stayed open:
 * opens failed with EMFILE, lines went uncounted, /metrics stopped answering and checkpoints
 * failed. Now idle files are parked and reopened on change: every line is counted exactly,
 * /healthz and /metrics answer, and the checkpoint is written.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkpointLinesRead, lowUlimit, startCli, uniqueLine, waitFor, writeManyFiles } from "./helpers.ts";

describe("run with more files than handles", () => {
  it("many_files_low_ulimit: 2,000 files under ulimit -n 1024, every line counted, HTTP answers", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-many-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-many-state-"));
    const { names, written: initial } = writeManyFiles(logs);
    let written = initial;
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "100", "--checkpoint-interval", "100"];
    const child = startCli(args, {}, lowUlimit(1024));
    try {
      const url = await child.url;
      await child.ready;
      // Appends to every 7th file: parked files must be reopened and continued at their offset.
      for (let k = 0; k < names.length; k += 7) {
        appendFileSync(join(logs, names[k]!), `${uniqueLine(names[k]!, 2)}\n`);
        written++;
      }
      expect(await waitFor(() => checkpointLinesRead(state) === written, 60_000)).toBe(true);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`^openclaw_sidecar_lines_read_total\\{[^}]*\\} ${written}$`, "m"));
      expect(child.stderr()).not.toMatch(/EMFILE|checkpoint write failed/);
    } finally {
      child.proc.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
    expect(checkpointLinesRead(state)).toBe(written);
    rmSync(logs, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }, 120_000);
});
