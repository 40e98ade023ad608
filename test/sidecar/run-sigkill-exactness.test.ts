/**
 * sigkill_exactness: the real `run` process is killed with SIGKILL at random moments while a
 * writer appends lines (cut mid-line too), renames the file to .1.log and switches to the next
 * day's file, and writes while the sidecar is down. After a clean SIGTERM at the end, every
 * counter and histogram in the final checkpoint equals one uninterrupted pass over the lines.
 * Timing is random on purpose; the assertion does not depend on it.
 */
import { appendFileSync, mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { CheckpointStore } from "../../src/tail/checkpoint.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { cumulativeSamples, delay, fixtureLines, startCli, truthFor } from "./helpers.ts";

const FIXTURE = join(import.meta.dirname, "../fixtures/openclaw-2026.4.14-style/openclaw-2026-04-20.log");

describe("run survives SIGKILL", () => {
  it("sigkill_exactness: counters equal the ground truth after random kills, rotation and a day switch", async () => {
    const lines = fixtureLines(FIXTURE);
    const logs = mkdtempSync(join(tmpdir(), "oc-kill-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-kill-state-"));
    const written: LineRecord[] = [];
    let file = join(logs, "openclaw-2026-11-21.log");
    let seed = 12345;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const write = (count: number) => {
      for (let i = 0; i < count; i++) {
        const line = lines[rand(lines.length)]!;
        const cut = rand(3) === 0 ? rand(line.length) : -1;
        // A line written in two parts: the sidecar must not hand it on before its newline.
        if (cut > 0) { appendFileSync(file, line.slice(0, cut)); appendFileSync(file, line.slice(cut) + "\n"); }
        else appendFileSync(file, line + "\n");
        written.push({ source: "log", profile: "", path: file, offset: 0, line });
      }
    };
    write(20);
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "15", "--checkpoint-interval", "100"];
    for (let round = 0; round < 6; round++) {
      const child = startCli(args);
      await child.ready;
      for (let b = 0; b < 8; b++) {
        write(1 + rand(15));
        if (round === 2 && b === 3) { renameSync(file, file.replace(/\.log$/, ".1.log")); write(5); }
        if (round === 4 && b === 1) { file = join(logs, "openclaw-2026-11-22.log"); write(5); }
        await delay(rand(60));
      }
      child.proc.kill("SIGKILL");
      await child.exited;
      write(rand(10)); // written while the sidecar is down
    }
    const last = startCli(args);
    await last.ready;
    last.proc.kill("SIGTERM");
    expect(await last.exited).toBe(0);

    const saved = new CheckpointStore(state).load();
    const store = new MetricStore();
    new Pipeline({ store }).restoreState(saved!.telemetry);
    const observed = cumulativeSamples(renderPrometheus(store, {}));
    const expected = cumulativeSamples(truthFor(written));
    expect(expected.length).toBeGreaterThan(20);
    expect(observed).toEqual(expected);
    const readTotal = /openclaw_sidecar_lines_read_total\{openclaw_source="log"\} (\d+)/.exec(renderPrometheus(store, {}));
    expect(Number(readTotal?.[1])).toBe(written.length);
  }, 90_000);
});
