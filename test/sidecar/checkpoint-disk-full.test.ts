/**
 * run_disk_full: the real `run` process with its state directory on a tiny tmpfs (own mount
 * namespace). The disk is filled to 4 KiB free while lines keep arriving: every checkpoint
 * write fails (some cut short), the previous checkpoint stays usable, the failures are counted
 * on /metrics and logged ONCE; once space returns, saving resumes with every line counted.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fillDisk as fill, seenBy, withTmpfs, requireTmpfs } from "../tail/tmpfs.ts";
import { checkpointLinesRead, fixtureLines, startCli, waitFor } from "./helpers.ts";

const FIXTURE = join(import.meta.dirname, "../fixtures/openclaw-2026.4.14-style/openclaw-2026-04-20.log");
const FAILURES = /^openclaw_sidecar_checkpoint_failure_total(?:\{[^}]*\})? (\d+)$/m;


describe("run with a full state disk", () => {
  it.skipIf(!requireTmpfs("run_disk_full"))("run_disk_full: old checkpoint kept, failures counted and logged once, saving resumes", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-full-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-full-state-"));
    const fixture = fixtureLines(FIXTURE);
    const lines = Array.from({ length: 80 }, (_, i) => fixture[i % fixture.length]!);
    const file = join(logs, "openclaw-2026-11-21.log");
    appendFileSync(file, lines.slice(0, 40).join("\n") + "\n");
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--checkpoint-interval", "100"];
    const child = startCli(args, {}, (argv) => withTmpfs(state, 256, argv));
    try {
      const url = await child.url;
      const inside = seenBy(child.proc.pid!, state);
      expect(await waitFor(() => checkpointLinesRead(inside) === 40)).toBe(true);

      fill(join(inside, "filler"), 4);
      appendFileSync(file, lines.slice(40, 80).join("\n") + "\n");
      const failures = async () => Number(FAILURES.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
      expect(await waitFor(async () => (await failures()) >= 5)).toBe(true);
      expect(checkpointLinesRead(inside)).toBe(40); // the old one, whole
      expect(readdirSync(inside).filter((n) => n.includes(".tmp-"))).toEqual([]);
      expect(child.stderr().match(/checkpoint write failed/g)).toHaveLength(1);

      rmSync(join(inside, "filler"));
      expect(await waitFor(() => checkpointLinesRead(inside) === 80)).toBe(true);
      // The file is renamed into place before the line saying so reaches our pipe: wait for it.
      await waitFor(() => /checkpoint written again after \d+ failed attempt/.test(child.stderr()));
      expect(child.stderr()).toMatch(/checkpoint written again after \d+ failed attempt/);
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
    rmSync(logs, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }, 60_000);
});
