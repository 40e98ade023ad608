/**
 * Start-up figures of issue 11, each against bare Node measured in the same run:
 *   - RSS of `run` (compiled build, empty log directory) 2 s after /healthz answers, vs an idle
 *     `node -e` process sampled the same way;
 *   - CPU seconds (user+sys, GNU time) of `replay` of a one-line file, vs `node -e 0`.
 * Medians of `rounds`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { debugLogLines } from "./debug-log.ts";
import { memoryOf, NODE, startSidecar, timedRun } from "./proc.ts";
import { median } from "./report.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bareNodeRssMb(): Promise<number> {
  const child = spawn(NODE, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  try {
    await sleep(2000);
    return memoryOf(child.pid!).rssMb;
  } finally {
    child.kill("SIGKILL");
  }
}

export interface StartupFigures { runRssMb: number; bareRssMb: number; replayCpuS: number; bareCpuS: number }

export async function measureStartup(cli: string, dir: string, rounds: number): Promise<StartupFigures> {
  const one = join(dir, "openclaw-2026-11-20.log"); // not the big file's name
  writeFileSync(one, `${debugLogLines().next()}\n`);
  const run: number[] = [], bare: number[] = [], rcpu: number[] = [], bcpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const logs = join(dir, `empty-${r}`);
    mkdirSync(logs);
    const sc = await startSidecar(cli, logs, join(dir, `state-${r}`));
    try {
      await sleep(2000);
      run.push(memoryOf(sc.pid).rssMb);
    } finally {
      await sc.stop();
    }
    bare.push(await bareNodeRssMb());
    const rr = await timedRun(NODE, [cli, "replay", "--format", "prometheus", "--no-progress", one]);
    rcpu.push(rr.userS + rr.sysS);
    const br = await timedRun(NODE, ["-e", "0"]);
    bcpu.push(br.userS + br.sysS);
  }
  return { runRssMb: median(run), bareRssMb: median(bare), replayCpuS: median(rcpu), bareCpuS: median(bcpu) };
}
