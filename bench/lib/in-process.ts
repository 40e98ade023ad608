/**
 * The sidecar's replay path measured inside the bench process: the same calls `replay --format
 * prometheus` makes (readFileLines -> Pipeline.handle -> renderPrometheus), without process
 * start, module loading or writing the output, so the pipeline's own cost is visible.
 */
import { Pipeline, type PipelineStats } from "../../src/pipeline/pipeline.ts";
import { readFileLines } from "../../src/tail/file-reader.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";

export async function pipelineReplay(path: string): Promise<{ stats: PipelineStats; textBytes: number }> {
  const store = new MetricStore();
  const pipeline = new Pipeline({ store });
  await readFileLines(path, "log", "", (r) => pipeline.handle(r));
  const text = renderPrometheus(store, { resource: { "service.name": "openclaw", "host.name": "bench" }, hostName: "bench", profile: undefined });
  return { stats: pipeline.stats, textBytes: text.length };
}
