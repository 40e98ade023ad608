/**
 * What incident building costs `run`: replay throughput of a large bench debug log through the
 * pipeline without and with the page's live state (serving/live-incidents.ts: IncidentBuilder,
 * usage today, chart ring) fed every counted event, and with a bare IncidentBuilder. Rounds are
 * interleaved (A B C A B C ...) so a neighbour's load hits every variant alike; the figure is
 * the median CPU time per variant (process.cpuUsage: user + sys) and its ratio to the plain one.
 * Goal (issue 9): incident building costs no more than 10 % of replay throughput.
 * Run: node bench/incidents-cost.ts [--lines N] [--rounds N] [--json]   (--json: a last line of
 * medians for bench/lean.ts, which prints it as a row of issue 11's table)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IncidentBuilder } from "../src/incidents/index.ts";
import { Pipeline } from "../src/pipeline/pipeline.ts";
import { LiveIncidents } from "../src/serving/live-incidents.ts";
import { readFileLines } from "../src/tail/file-reader.ts";
import { MetricStore } from "../src/telemetry/storage/metric-store.ts";
import type { OpenClawEvent } from "../src/events/types.ts";
import { writeDebugLog } from "./lib/debug-log.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const LINES = arg("--lines", 500_000);
const ROUNDS = arg("--rounds", 5);

type Variant = { name: string; sink: () => ((ev: OpenClawEvent) => void) | undefined; after?: () => void };
let live: LiveIncidents | undefined;
const VARIANTS: Variant[] = [
  { name: "pipeline only", sink: () => undefined },
  { name: "+ IncidentBuilder", sink: () => { const b = new IncidentBuilder(); return (ev) => b.add(ev); } },
  { name: "+ live page state (run)", sink: () => { live = new LiveIncidents(); const l = live; return (ev) => l.add(ev); }, after: () => live?.tick() },
];

async function once(path: string, v: Variant): Promise<{ cpuMs: number; events: number; lines: number }> {
  const onEvent = v.sink();
  let events = 0;
  const pipeline = new Pipeline({ store: new MetricStore(), onEvent: onEvent ? (ev) => { events++; onEvent(ev); } : () => { events++; } });
  const c0 = process.cpuUsage();
  await readFileLines(path, "log", "", (r) => pipeline.handle(r));
  pipeline.flushCounters();
  v.after?.();
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, events, lines: pipeline.stats.lines };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

const dir = mkdtempSync(join(tmpdir(), "incidents-bench-"));
try {
  const file = join(dir, "openclaw-2026-11-21.log");
  const { bytes } = writeDebugLog(file, LINES);
  console.log(`incidents-cost: ${LINES.toLocaleString("en-US")} debug-log lines (${(bytes / 1e6).toFixed(0)} MB), ${ROUNDS} interleaved rounds, Node ${process.version}`);
  const cpu = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  let shape = { events: 0, lines: 0 };
  await once(file, VARIANTS[0]!); // warm-up: JIT and page cache
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const res = await once(file, v);
      cpu.get(v.name)!.push(res.cpuMs);
      shape = { events: res.events, lines: res.lines };
    }
  }
  console.log(`  ${shape.lines.toLocaleString("en-US")} lines, ${shape.events.toLocaleString("en-US")} events counted per pass`);
  const base = median(cpu.get(VARIANTS[0]!.name)!);
  for (const v of VARIANTS) {
    const m = median(cpu.get(v.name)!);
    const rate = shape.lines / (m / 1000);
    const cost = m / base - 1;
    console.log(`  ${v.name.padEnd(26)} median CPU ${m.toFixed(0).padStart(6)} ms  ${(rate / 1e3).toFixed(0).padStart(5)} k lines/s  ${v === VARIANTS[0] ? "" : `cost ${(cost * 100).toFixed(1)} %  ${cost <= 0.10 ? "PASS" : "MISS"} (goal <= 10 %)`}`);
  }
  if (process.argv.includes("--json")) {
    const ms = Object.fromEntries(VARIANTS.map((v) => [v.name, median(cpu.get(v.name)!)]));
    console.log(JSON.stringify({ lines: shape.lines, events: shape.events, cpuMs: ms }));
  }
  if (live) console.log(`  live state after the last pass: ${live.builder.incidents().length} incidents, ${live.builder.ongoing().length} ongoing`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
