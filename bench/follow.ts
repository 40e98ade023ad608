/**
 * Goals 2b, 3 and 4 in bench/README.md ("What each measures"), on a live `run` process
 * (`--poll-interval 250`, /metrics on 127.0.0.1) following a temp log directory that holds a
 * few pre-existing files (today's log, yesterday's and its `.1.log`, 2,000 lines each):
 *   idle     utime+stime from /proc/<pid>/stat over IDLE_S seconds with no log activity and no
 *            scrapes, as % of one core (goal <= 1 %);
 *   latency  N event lines (`lane enqueue`, lane `bench`) appended one at a time after a random
 *            0-250 ms pause (so appends fall at every phase of the poll timer); /metrics is
 *            fetched every 20 ms until openclaw_queue_lane_enqueue_total{lane="bench"} shows
 *            the line; p50/p99/max of append -> visible (goal p99 <= 1 s);
 *   memory   the realistic debug mix appended at RATE lines/s for LOAD_S s (scraped once a
 *            second, as Prometheus would more slowly), VmRSS sampled every 100 ms, then VmHWM
 *            (peak RSS over the whole life, start-up included) once every line is read
 *            (goal <= 80 MB).
 * Both entries run side by side, each with its own directory: `node src/cli.ts` (types
 * stripped at load) and the compiled build (what `npm start` runs).
 * Run: node bench/follow.ts [--only src|built] [--idle 20] [--load 20] [--rate 2000] [--n 200]
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildDist } from "./lib/build.ts";
import { debugLogLines, laneEnqueueLine, writeDebugLog } from "./lib/debug-log.ts";
import { CLI, cpuSecondsOf, getText, memoryOf, seriesValue, startSidecar, type FollowedSidecar } from "./lib/proc.ts";
import { appendResult, fmtInt, percentile, printTable, verdict } from "./lib/report.ts";

const { values } = parseArgs({
  options: {
    only: { type: "string" }, idle: { type: "string", default: "20" }, load: { type: "string", default: "20" },
    rate: { type: "string", default: "2000" }, n: { type: "string", default: "200" },
  },
});
const IDLE_S = Number(values.idle);
const LOAD_S = Number(values.load);
const RATE = Number(values.rate);
const N = Number(values.n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

interface Figures {
  startRssMb: number; idleCpuPct: number; idleRssMb: number;
  latencyMs: { p50: number; p99: number; max: number; timeouts: number };
  load: { lines: number; seconds: number; catchUpMs: number; maxRssMb: number; endRssMb: number; hwmMb: number };
}

async function scrape(sc: FollowedSidecar): Promise<string> {
  return getText(`${sc.url}/metrics`);
}

async function measureLatency(sc: FollowedSidecar, fd: number, log: (s: string) => void): Promise<Figures["latencyMs"]> {
  const delays: number[] = [];
  let timeouts = 0;
  const base = seriesValue(await scrape(sc), "openclaw_queue_lane_enqueue_total", 'openclaw_lane="bench"');
  for (let i = 0; i < N; i++) {
    await sleep(Math.random() * 250);
    writeSync(fd, `${laneEnqueueLine(new Date(), "bench", i)}\n`);
    const t0 = performance.now();
    for (;;) {
      const tick = performance.now();
      if (seriesValue(await scrape(sc), "openclaw_queue_lane_enqueue_total", 'openclaw_lane="bench"') >= base + i + 1) {
        delays.push(performance.now() - t0);
        break;
      }
      if (performance.now() - t0 > 5000) { timeouts++; delays.push(5000); break; }
      await sleep(Math.max(0, 20 - (performance.now() - tick)));
    }
    if ((i + 1) % 50 === 0) log(`latency ${i + 1}/${N}`);
  }
  return { p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays), timeouts };
}

async function measureLoad(sc: FollowedSidecar, fd: number): Promise<Figures["load"]> {
  const before = seriesValue(await scrape(sc), "openclaw_sidecar_lines_read_total", 'openclaw_source="log"');
  // Wall-clock times on the lines, 1/RATE s apart, as a gateway writing now would.
  const gen = debugLogLines(new Date().toISOString(), 1000 / RATE);
  let written = 0;
  let maxRss = 0;
  let lastScrape = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < LOAD_S * 1000) {
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE) - written;
    if (due > 0) {
      const batch: string[] = [];
      for (let k = 0; k < due; k++) batch.push(gen.next());
      writeSync(fd, `${batch.join("\n")}\n`);
      written += due;
    }
    maxRss = Math.max(maxRss, memoryOf(sc.pid).rssMb);
    if (performance.now() - lastScrape >= 1000) { lastScrape = performance.now(); await scrape(sc); }
    await sleep(100);
  }
  const rest = Math.round(LOAD_S * RATE) - written; // the last tick's share, so exactly RATE x LOAD_S
  if (rest > 0) {
    const batch: string[] = [];
    for (let k = 0; k < rest; k++) batch.push(gen.next());
    writeSync(fd, `${batch.join("\n")}\n`);
    written += rest;
  }
  const seconds = (performance.now() - t0) / 1000;
  // Every line must be read before the peak is taken, or a slow reader would look lean.
  const tEnd = performance.now();
  for (;;) {
    maxRss = Math.max(maxRss, memoryOf(sc.pid).rssMb);
    const read = seriesValue(await scrape(sc), "openclaw_sidecar_lines_read_total", 'openclaw_source="log"');
    if (read - before >= written) break;
    if (performance.now() - tEnd > 15_000) throw new Error(`sidecar read ${read - before} of ${written} lines in 15 s after the load`);
    await sleep(50);
  }
  const catchUpMs = performance.now() - tEnd;
  const mem = memoryOf(sc.pid);
  return { lines: written, seconds, catchUpMs, maxRssMb: Math.max(maxRss, mem.rssMb), endRssMb: mem.rssMb, hwmMb: mem.hwmMb };
}

async function followOne(name: string, cli: string): Promise<Figures> {
  const log = (s: string) => console.log(`  [${name}] ${s}`);
  const dir = mkdtempSync(join(tmpdir(), `follow-bench-${name}-`));
  const logs = join(dir, "logs");
  mkdirSync(logs);
  const today = new Date();
  const yesterday = localDate(new Date(today.getTime() - 86_400_000));
  const live = join(logs, `openclaw-${localDate(today)}.log`);
  writeDebugLog(live, 2000);
  writeDebugLog(join(logs, `openclaw-${yesterday}.log`), 2000);
  writeDebugLog(join(logs, `openclaw-${yesterday}.1.log`), 2000);
  const sc = await startSidecar(cli, logs, join(dir, "state"));
  const fd = openSync(live, "a");
  try {
    await sleep(2000); // past start-up work (first poll, first checkpoint)
    const startRssMb = memoryOf(sc.pid).rssMb;
    log(`started (pid ${sc.pid}, RSS ${startRssMb.toFixed(0)} MB); idle for ${IDLE_S} s`);
    const c0 = cpuSecondsOf(sc.pid);
    const t0 = performance.now();
    await sleep(IDLE_S * 1000);
    const idleCpuPct = (100 * (cpuSecondsOf(sc.pid) - c0)) / ((performance.now() - t0) / 1000);
    const idleRssMb = memoryOf(sc.pid).rssMb;
    log(`idle CPU ${idleCpuPct.toFixed(2)} %; latency, ${N} lines`);
    const latencyMs = await measureLatency(sc, fd, log);
    log(`load: ${RATE} lines/s for ${LOAD_S} s`);
    const load = await measureLoad(sc, fd);
    return { startRssMb, idleCpuPct, idleRssMb, latencyMs, load };
  } catch (err) {
    console.error(`[${name}] sidecar stderr:\n${sc.stderr()}`);
    throw err;
  } finally {
    closeSync(fd);
    await sc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const build = values.only === "src" ? undefined : buildDist();
try {
  const entries: [string, string][] = [];
  if (values.only !== "built") entries.push(["src", CLI]);
  if (build) entries.push(["built", build.cli]);
  console.log(`follow: ${entries.map(([n]) => n).join(" + ")} side by side; idle ${IDLE_S} s, latency N=${N}, load ${RATE} lines/s x ${LOAD_S} s`);
  const results = await Promise.all(entries.map(([n, cli]) => followOne(n, cli)));
  const col = (f: (r: Figures) => string) => results.map(f);
  console.log("");
  printTable([
    ["figure", ...entries.map(([n]) => (n === "src" ? "node src/cli.ts" : "compiled build")), "goal"],
    ["idle CPU, % of one core", ...col((r) => `${r.idleCpuPct.toFixed(2)} %`), "<= 1 %"],
    ["latency p50", ...col((r) => `${fmtInt(r.latencyMs.p50)} ms`), ""],
    ["latency p99", ...col((r) => `${fmtInt(r.latencyMs.p99)} ms`), "<= 1000 ms"],
    ["latency max", ...col((r) => `${fmtInt(r.latencyMs.max)} ms`), ""],
    ["latency timeouts (> 5 s)", ...col((r) => String(r.latencyMs.timeouts)), "0"],
    ["RSS after start-up", ...col((r) => `${r.startRssMb.toFixed(0)} MB`), ""],
    ["RSS after idle", ...col((r) => `${r.idleRssMb.toFixed(0)} MB`), ""],
    ["load lines appended", ...col((r) => fmtInt(r.load.lines)), ""],
    ["catch-up after load", ...col((r) => `${fmtInt(r.load.catchUpMs)} ms`), ""],
    ["max RSS sampled under load", ...col((r) => `${r.load.maxRssMb.toFixed(0)} MB`), ""],
    ["peak RSS (VmHWM, whole life)", ...col((r) => `${r.load.hwmMb.toFixed(0)} MB`), "<= 80 MB"],
  ]);
  console.log("");
  printTable([
    ["goal", ...entries.map(([n]) => n)],
    ["idle <= 1 % of a core", ...col((r) => verdict(r.idleCpuPct, "<=", 1))],
    ["latency p99 <= 1 s", ...col((r) => verdict(r.latencyMs.p99, "<=", 1000))],
    ["peak RSS following <= 80 MB", ...col((r) => verdict(r.load.hwmMb, "<=", 80))],
  ]);
  const out = appendResult("follow", {
    idleS: IDLE_S, loadS: LOAD_S, rate: RATE, n: N,
    entries: Object.fromEntries(entries.map(([n], i) => [n, results[i]])),
  });
  console.log(`\nappended to ${out}`);
} finally {
  build?.cleanup();
}
