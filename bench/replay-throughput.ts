/**
 * Goals 1 and 2a in bench/README.md ("What each measures"): replay throughput and peak
 * RSS on a realistic 1M-line debug log (bench/lib/debug-log.ts), each against baselines
 * measured in the same run on the same file:
 *   - in-process: readline + JSON.parse (the baseline) vs the replay pipeline
 *     (readFileLines -> Pipeline -> renderPrometheus, bench/lib/in-process.ts);
 *   - child process, end to end: `node bench/lib/readline-json-parse.ts FILE` vs
 *     `node src/cli.ts replay --format prometheus FILE > /dev/null` (types stripped at load), the
 *     same command on the compiled build (what `npm start` and the bin run; bench/lib/build.ts),
 *     and Debian's mtail
 *     (`--one_shot` with bench/lib/openclaw-events.mtail, 9 regexes counting the same events).
 * Each is run ROUNDS times, interleaved, and the median is reported; peak RSS is the largest
 * seen by GNU time over the rounds. A stage breakdown (read+split, +parseLine, +pipeline) says
 * where the in-process time goes. Goals: pipeline >= 0.8x baseline, >= 4x mtail, <= 120 MB.
 * Run: node bench/replay-throughput.ts [lines=1000000] [rounds=3]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDist } from "./lib/build.ts";
import { writeDebugLog } from "./lib/debug-log.ts";
import { pipelineReplay } from "./lib/in-process.ts";
import { STAGES, stageTimes } from "./lib/stages.ts";
import { CLI, NODE, ROOT, timedRun, type TimedRun } from "./lib/proc.ts";
import { readlineJsonParse } from "./lib/readline-json-parse.ts";
import { appendResult, fmtInt, fmtRatio, median, printTable, verdict } from "./lib/report.ts";

const LINES = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const MTAIL = "/usr/bin/mtail";

async function timeIt<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

/** Sums every sample of `name` in Prometheus text (mtail adds a `prog` label). */
function promSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  return sum;
}

const dir = mkdtempSync(join(tmpdir(), "replay-bench-"));
const file = join(dir, "openclaw-2026-11-21.log");
const progs = join(dir, "progs");
const build = buildDist();
try {
  const tg = process.hrtime.bigint();
  const { bytes } = writeDebugLog(file, LINES);
  mkdirSync(progs);
  copyFileSync(join(ROOT, "bench", "lib", "openclaw-events.mtail"), join(progs, "openclaw-events.mtail"));
  console.log(`replay-throughput: ${fmtInt(LINES)} lines, ${(bytes / 1e6).toFixed(0)} MB, generated in ${(Number(process.hrtime.bigint() - tg) / 1e9).toFixed(1)} s; ${ROUNDS} rounds, median`);

  const t: Record<string, number[]> = { baseIn: [], pipeIn: [], baseChild: [], replayChild: [], replayBuilt: [], mtail: [] };
  const runs: Record<string, TimedRun[]> = { baseChild: [], replayChild: [], replayBuilt: [], mtail: [] };
  let stats: Awaited<ReturnType<typeof pipelineReplay>>["stats"] | undefined;
  const mtailOut = join(dir, "mtail.prom");
  const mtailArgs = ["--one_shot", "--one_shot_format", "prometheus", "--logtostderr", "--address", "127.0.0.1", "--port", "0", "--progs", progs, "--logs", file];
  for (let r = 0; r < ROUNDS; r++) {
    const [s1, base] = await timeIt(() => readlineJsonParse(file));
    if (base.lines !== LINES) throw new Error(`baseline read ${base.lines} lines`);
    t["baseIn"]!.push(s1);
    const [s2, pipe] = await timeIt(() => pipelineReplay(file));
    if (pipe.stats.lines !== LINES) throw new Error(`pipeline read ${pipe.stats.lines} lines`);
    t["pipeIn"]!.push(s2);
    stats = pipe.stats;
    runs["baseChild"]!.push(await timedRun(NODE, [join(ROOT, "bench", "lib", "readline-json-parse.ts"), file]));
    runs["replayChild"]!.push(await timedRun(NODE, [CLI, "replay", "--format", "prometheus", "--no-progress", file]));
    runs["replayBuilt"]!.push(await timedRun(NODE, [build.cli, "replay", "--format", "prometheus", "--no-progress", file]));
    runs["mtail"]!.push(await timedRun(MTAIL, mtailArgs, { stdoutPath: mtailOut }));
    const last = (k: string) => `${runs[k]!.at(-1)!.wallS.toFixed(2)} s`;
    process.stdout.write(`  round ${r + 1}/${ROUNDS}: in-process ${s1.toFixed(2)} s / ${s2.toFixed(2)} s; children ${last("baseChild")} / ${last("replayChild")} / ${last("replayBuilt")} / mtail ${last("mtail")}\n`);
  }
  for (const k of Object.keys(runs)) t[k] = runs[k]!.map((x) => x.wallS);
  const rate = (k: string) => LINES / median(t[k]!);
  const peak = (k: string) => Math.max(...runs[k]!.map((x) => x.maxRssMb));
  const cpu = (k: string) => median(runs[k]!.map((x) => x.userS + x.sysS));

  console.log("");
  printTable([
    ["path", "median s", "lines/s", "CPU s (user+sys)", "peak RSS MB"],
    ["in-process readline + JSON.parse (baseline)", median(t["baseIn"]!).toFixed(2), fmtInt(rate("baseIn")), "-", "-"],
    ["in-process replay pipeline", median(t["pipeIn"]!).toFixed(2), fmtInt(rate("pipeIn")), "-", "-"],
    ["child: node readline + JSON.parse (baseline)", median(t["baseChild"]!).toFixed(2), fmtInt(rate("baseChild")), cpu("baseChild").toFixed(2), peak("baseChild").toFixed(0)],
    ["child: node src/cli.ts replay --format prometheus", median(t["replayChild"]!).toFixed(2), fmtInt(rate("replayChild")), cpu("replayChild").toFixed(2), peak("replayChild").toFixed(0)],
    ["child: node <build>/src/cli.js replay (compiled)", median(t["replayBuilt"]!).toFixed(2), fmtInt(rate("replayBuilt")), cpu("replayBuilt").toFixed(2), peak("replayBuilt").toFixed(0)],
    ["child: mtail --one_shot (9 regexes)", median(t["mtail"]!).toFixed(2), fmtInt(rate("mtail")), cpu("mtail").toFixed(2), peak("mtail").toFixed(0)],
  ]);

  const ratios = {
    pipelineVsBaseline: rate("pipeIn") / rate("baseIn"),
    replayVsBaselineChild: rate("replayChild") / rate("baseChild"),
    replayBuiltVsBaselineChild: rate("replayBuilt") / rate("baseChild"),
    replayVsMtail: rate("replayChild") / rate("mtail"),
    replayBuiltVsMtail: rate("replayBuilt") / rate("mtail"),
    pipelineVsMtail: rate("pipeIn") / rate("mtail"),
  };
  const replayPeak = peak("replayChild");
  const builtPeak = peak("replayBuilt");
  console.log("");
  printTable([
    ["goal", "figure", "target", "verdict"],
    ["in-process pipeline / readline+JSON.parse", fmtRatio(ratios.pipelineVsBaseline), ">= 0.80x", verdict(ratios.pipelineVsBaseline, ">=", 0.8)],
    ["child replay / child readline+JSON.parse", fmtRatio(ratios.replayVsBaselineChild), ">= 0.80x", verdict(ratios.replayVsBaselineChild, ">=", 0.8)],
    ["compiled replay / child readline+JSON.parse", fmtRatio(ratios.replayBuiltVsBaselineChild), ">= 0.80x", verdict(ratios.replayBuiltVsBaselineChild, ">=", 0.8)],
    ["child replay / mtail", fmtRatio(ratios.replayVsMtail), ">= 4.00x", verdict(ratios.replayVsMtail, ">=", 4)],
    ["compiled replay / mtail", fmtRatio(ratios.replayBuiltVsMtail), ">= 4.00x", verdict(ratios.replayBuiltVsMtail, ">=", 4)],
    ["in-process pipeline / mtail", fmtRatio(ratios.pipelineVsMtail), ">= 4.00x", verdict(ratios.pipelineVsMtail, ">=", 4)],
    ["peak RSS, child replay (src/cli.ts)", `${replayPeak.toFixed(0)} MB`, "<= 120 MB", verdict(replayPeak, "<=", 120)],
    ["peak RSS, compiled replay", `${builtPeak.toFixed(0)} MB`, "<= 120 MB", verdict(builtPeak, "<=", 120)],
  ]);

  // The peers must have counted the same thing, or the comparison means nothing.
  const ev = stats!.events;
  const mt = readFileSync(mtailOut, "utf8");
  const checks: [string, number, number][] = [
    ["queue.lane.enqueue", ev["queue.lane.enqueue"] ?? 0, promSum(mt, "openclaw_lane_enqueue_total")],
    ["queue.lane.dequeue", ev["queue.lane.dequeue"] ?? 0, promSum(mt, "openclaw_lane_dequeue_total")],
    ["session.state", ev["session.state"] ?? 0, promSum(mt, "openclaw_session_state_total")],
    ["message.processed", ev["message.processed"] ?? 0, promSum(mt, "openclaw_message_processed_total")],
    ["model.fetch", ev["model.fetch"] ?? 0, promSum(mt, "openclaw_model_request_total")],
    ["model.failover", ev["model.failover"] ?? 0, promSum(mt, "openclaw_model_failover_total")],
    ["diagnostic.heartbeat", ev["diagnostic.heartbeat"] ?? 0, promSum(mt, "openclaw_heartbeat_total")],
  ];
  const events = Object.values(ev).reduce((a, b) => a + b, 0);

  // Where the in-process time goes (bench/lib/stages.ts): each row adds one stage.
  const stages = await stageTimes(file, ROUNDS);
  console.log("\nin-process stages (each row adds one stage; median):");
  let prev = 0;
  printTable([["stage", "cumulative s", "stage s", "share"], ...STAGES.map((st) => {
    const row = [st, stages[st].toFixed(2), (stages[st] - prev).toFixed(2), `${((100 * (stages[st] - prev)) / stages["+pipeline"]).toFixed(0)} %`];
    prev = stages[st];
    return row;
  })]);
  console.log(`\nevents: ${fmtInt(events)} (${((100 * events) / LINES).toFixed(1)}% of lines), ignored ${fmtInt(stats!.ignored)}; sidecar vs mtail counts:`);
  printTable([["event", "sidecar", "mtail", "same"], ...checks.map(([k, a, b]) => [k, fmtInt(a), fmtInt(b), a === b ? "yes" : "NO"])]);

  const out = appendResult("replay-throughput", {
    lines: LINES, bytes: statSync(file).size, rounds: ROUNDS, events,
    linesPerSec: Object.fromEntries(Object.keys(t).map((k) => [k, Math.round(rate(k))])),
    medianSec: Object.fromEntries(Object.keys(t).map((k) => [k, median(t[k]!)])),
    peakRssMb: { baseChild: peak("baseChild"), replayChild: replayPeak, replayBuilt: builtPeak, mtail: peak("mtail") },
    ratios, stagesSec: stages, countsAgree: checks.every(([, a, b]) => a === b),
  });
  console.log(`\nappended to ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  build.cleanup();
}
