/**
 * A real capture, replayed as a live sidecar would have seen it and scraped as Prometheus would
 * have scraped it: every line goes through the sidecar's own pipeline at its own time, and the
 * exposition is sampled every STEP_S seconds, then for TAIL_MIN minutes of silence after the last
 * line (the bot recovered, nothing more is logged, the sidecar keeps being scraped). The samples
 * become promtool input_series, so the rules are judged on the sidecar's output (series born
 * above 0, real names and labels), not on hand-written values.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { lineTime } from "../../src/line/line-time.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { describe as describeFile } from "../../src/pipeline/read-files.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { advanceClock } from "../../src/telemetry/storage/active-state.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { addScrape, inputSeries, type Samples } from "./scrape-samples.ts";

export const STEP_S = 15;
export const TAIL_MIN = 25;

export interface CaptureSeries {
  /** promtool input_series at STEP_S, the first sample at `t0`. */
  input: Array<{ series: string; values: string }>;
  t0: number;
  steps: number;
}

interface Timed { t: number; source: "log" | "diagnostics"; profile: string; path: string; line: string; offset: number }

/** Every line of the capture's gateway files with its time (a line without one takes its file's previous time). */
function timedLines(dir: string): Timed[] {
  const out: Timed[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/^(openclaw-.*\.log|diagnostics-.*\.jsonl)$/.test(name)) continue;
    const path = join(dir, name);
    const f = describeFile(path);
    let last = -Infinity, offset = 0;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      const t = lineTime(line) ?? last;
      if (line !== "" && Number.isFinite(t)) out.push({ t, source: f.source, profile: f.profile, path: `/tmp/openclaw/${basename(path)}`, line, offset });
      last = t;
      offset += Buffer.byteLength(line) + 1;
    }
  }
  // Stable: lines of one time keep their file order, the JSONL first as `run` reads it.
  return out.sort((a, b) => a.t - b.t);
}

export function replayCapture(dir: string, hostName = "capture"): CaptureSeries {
  const lines = timedLines(dir);
  if (lines.length === 0) throw new Error(`no timed gateway lines in ${dir}`);
  const stepMs = STEP_S * 1000;
  const t0 = Math.floor(lines[0]!.t / stepMs) * stepMs;
  const end = lines.at(-1)!.t + TAIL_MIN * 60_000;
  let now = t0;
  const store = new MetricStore();
  const pipeline = new Pipeline({ store, clock: () => now, guardClock: () => now + 60_000 });
  const samples: Samples = new Map();
  let i = 0, step = 0;
  for (; now <= end; now += stepMs, step++) {
    for (; i < lines.length && lines[i]!.t <= now; i++) {
      const { t: _t, ...record } = lines[i]!;
      pipeline.handle(record);
    }
    // As `run` does once per poll (sidecar/wall-clock.ts): windows expire without new lines.
    advanceClock(store, now);
    pipeline.flushCounters();
    addScrape(samples, renderPrometheus(store, { hostName, profile: "default" }), step);
    // A series that vanished (an expired gauge) is absent from then on, as Prometheus marks it stale.
    for (const values of samples.values()) if (values.length < step + 1) values.push(values.at(-1) === "_" || values.at(-1) === "stale" ? "_" : "stale");
  }
  return { input: inputSeries(samples), t0, steps: step };
}
