/**
 * Where replay time goes, stage by stage, on one file: each row adds one stage to the one
 * above, so the difference between rows is that stage's cost.
 *   read+split   readFileLines with a sink that does nothing (I/O, line split, UTF-8 decode)
 *   +parseLine   the prefilter, JSON.parse of candidate lines, envelope, derivers
 *   +pipeline    Pipeline.handle: self-metrics per line, dedupe, recorders into the MetricStore
 */
import { parseLine } from "../../src/events/parse-line.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { readFileLines } from "../../src/tail/file-reader.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { median } from "./report.ts";

export type Stage = "read+split" | "+parseLine" | "+pipeline";
export const STAGES: readonly Stage[] = ["read+split", "+parseLine", "+pipeline"];

async function runStage(path: string, stage: Stage): Promise<number> {
  let n = 0;
  const pipeline = new Pipeline({ store: new MetricStore() });
  const sink = stage === "read+split"
    ? () => { n++; }
    : stage === "+parseLine"
      ? (r: Parameters<typeof parseLine>[0]) => { if (parseLine(r).kind === "events") n++; }
      : (r: Parameters<typeof parseLine>[0]) => pipeline.handle(r);
  const t0 = process.hrtime.bigint();
  await readFileLines(path, "log", "", sink);
  if (n < 0) console.log(n);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Median seconds per stage over `rounds` interleaved rounds. */
export async function stageTimes(path: string, rounds: number): Promise<Record<Stage, number>> {
  const t: Record<Stage, number[]> = { "read+split": [], "+parseLine": [], "+pipeline": [] };
  for (let r = 0; r < rounds; r++) for (const s of STAGES) t[s].push(await runStage(path, s));
  return { "read+split": median(t["read+split"]), "+parseLine": median(t["+parseLine"]), "+pipeline": median(t["+pipeline"]) };
}
