/**
 * RSS of `run` (compiled build) while the realistic debug mix is appended at `rate` lines/s for
 * `seconds`, scraped once a second: VmRSS sampled every 100 ms (median) and VmHWM (whole life)
 * once every line is read. Bare Node's RSS, measured in the same run, is the baseline.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { debugLogLines } from "./debug-log.ts";
import { getText, memoryOf, seriesValue, startSidecar } from "./proc.ts";
import { median } from "./report.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

export interface FollowFigures { lines: number; medianRssMb: number; hwmMb: number; afterRssMb: number }

export async function measureFollow(cli: string, dir: string, rate: number, seconds: number): Promise<FollowFigures> {
  const logs = join(dir, "follow-logs");
  mkdirSync(logs);
  const live = join(logs, `openclaw-${localDate(new Date())}.log`);
  const fd = openSync(live, "a");
  const sc = await startSidecar(cli, logs, join(dir, "follow-state"));
  const read = async () => seriesValue(await getText(`${sc.url}/metrics`), "openclaw_sidecar_lines_read_total", 'openclaw_source="log"');
  try {
    await sleep(1000);
    const gen = debugLogLines(new Date().toISOString(), 1000 / rate);
    const samples: number[] = [];
    let written = 0;
    let lastScrape = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      const due = Math.min(Math.round(seconds * rate), Math.floor(((performance.now() - t0) / 1000) * rate)) - written;
      if (due > 0) {
        const batch: string[] = [];
        for (let k = 0; k < due; k++) batch.push(gen.next());
        writeSync(fd, `${batch.join("\n")}\n`);
        written += due;
      }
      samples.push(memoryOf(sc.pid).rssMb);
      if (performance.now() - lastScrape >= 1000) { lastScrape = performance.now(); await read(); }
      await sleep(100);
    }
    // Every line read before VmHWM is taken, or a slow reader would look lean.
    const tEnd = performance.now();
    while ((await read()) < written) {
      if (performance.now() - tEnd > 15_000) throw new Error(`sidecar behind after the load: ${sc.stderr()}`);
      samples.push(memoryOf(sc.pid).rssMb);
      await sleep(100);
    }
    await sleep(2000);
    const mem = memoryOf(sc.pid);
    return { lines: written, medianRssMb: median(samples), hwmMb: mem.hwmMb, afterRssMb: mem.rssMb };
  } finally {
    closeSync(fd);
    await sc.stop();
  }
}
