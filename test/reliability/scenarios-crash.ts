/**
 * SIGKILL at random moments while a writer appends (lines cut mid-line too), rotates by rename
 * (x.jsonl -> x.1.jsonl -> x.2.jsonl) and the sidecar writes checkpoints every 100 ms; and
 * SIGTERM during appends. After the last clean stop the checkpoint must hold every line once:
 * lines read equal lines written, gateway counters and histograms equal one in-memory pass.
 */
import { appendFileSync, existsSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { delay, startCli } from "../sidecar/helpers.ts";
import {
  checkpointTotals, diagLine, measured, measuredRun, replayUsage, sameSamples, stop, tempDir, truthSamples, started, type Ctx, type Row,
} from "./lib.ts";

interface Writer { lines: string[]; write(n: number): void; rotate(): void; logs: string }

function writer(ctx: Ctx, logs: string): Writer {
  const live = join(logs, "diagnostics-2026-11-21.jsonl");
  const rotated = (n: number) => join(logs, `diagnostics-2026-11-21.${n}.jsonl`);
  const lines: string[] = [];
  return {
    lines, logs,
    write(n) {
      for (let k = 0; k < n; k++) {
        const line = diagLine(lines.length);
        lines.push(line);
        const cut = ctx.rand() < 0.3 ? Math.floor(ctx.rand() * line.length) : -1;
        // Written in two parts: nothing may be handed on before its newline.
        if (cut > 0) { appendFileSync(live, line.slice(0, cut)); appendFileSync(live, `${line.slice(cut)}\n`); }
        else appendFileSync(live, `${line}\n`);
      }
    },
    rotate() {
      for (let n = 4; n >= 1; n--) if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
      if (existsSync(live)) renameSync(live, rotated(1));
    },
  };
}

const runArgs = (logs: string, state: string) => ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "15", "--checkpoint-interval", "100"];

async function finish(ctx: Ctx, w: Writer, state: string): Promise<{ ok: boolean; lines: number; usage?: Row["usage"]; baseline: Row["usage"] }> {
  const { child, out } = measuredRun(ctx, runArgs(w.logs, state));
  await started(child, child.ready);
  const code = await stop(child);
  const got = checkpointTotals(state);
  const ok = code === 0 && got !== undefined && got.lines === w.lines.length && sameSamples(got.samples, truthSamples(w.lines));
  const files = readdirSync(w.logs).map((n) => join(w.logs, n));
  return { ok, lines: got?.lines ?? -1, usage: measured(out), baseline: replayUsage(ctx, files) };
}

export async function sigkillScenario(ctx: Ctx): Promise<Row> {
  const trials = ctx.quick ? 5 : 20;
  let exact = 0;
  let expectedLines = 0;
  let observedLines = 0;
  let usage: Row["usage"];
  let baseline: Row["usage"];
  for (let t = 0; t < trials; t++) {
    const w = writer(ctx, tempDir(ctx, "kill-logs"));
    const state = tempDir(ctx, "kill-state");
    w.write(20);
    for (let round = 0; round < 3; round++) {
      const child = startCli(runArgs(w.logs, state));
      await started(child, child.ready);
      for (let b = 0, n = 2 + Math.floor(ctx.rand() * 6); b < n; b++) {
        w.write(1 + Math.floor(ctx.rand() * 20));
        if (ctx.rand() < 0.25) { w.rotate(); w.write(3); }
        await delay(Math.floor(ctx.rand() * 80));
      }
      child.proc.kill("SIGKILL");
      await child.exited;
      w.write(Math.floor(ctx.rand() * 10)); // written while down
    }
    const r = await finish(ctx, w, state);
    if (r.ok) exact++;
    expectedLines += w.lines.length;
    observedLines += Math.max(0, r.lines);
    usage = r.usage;
    baseline = r.baseline;
  }
  return {
    scenario: "sigkill (appends, rotations, checkpoints)", trials,
    expected: `${trials}/${trials} exact, ${expectedLines} lines`, observed: `${exact}/${trials} exact, ${observedLines} lines`,
    pass: exact === trials, usage, baseline, bound: { rss: 2.5, cpu: 6 },
  };
}

export async function sigtermScenario(ctx: Ctx): Promise<Row> {
  const w = writer(ctx, tempDir(ctx, "term-logs"));
  const state = tempDir(ctx, "term-state");
  const rounds = 3;
  let clean = 0;
  w.write(20);
  for (let round = 0; round < rounds; round++) {
    const child = startCli(runArgs(w.logs, state));
    await started(child, child.ready);
    w.write(10 + Math.floor(ctx.rand() * 20));
    await delay(Math.floor(ctx.rand() * 50));
    if ((await stop(child)) === 0) clean++; // mid-appends: the final poll and checkpoint must catch up
    w.write(5);
  }
  const r = await finish(ctx, w, state);
  return {
    scenario: "sigterm during appends", trials: rounds,
    expected: `exit 0 x${rounds + 1}, ${w.lines.length} lines exact`, observed: `exit 0 x${clean + (r.ok ? 1 : 0)}, ${r.lines} lines${r.ok ? " exact" : ""}`,
    pass: clean === rounds && r.ok, usage: r.usage, baseline: r.baseline, bound: { rss: 2.5, cpu: 6 },
  };
}
