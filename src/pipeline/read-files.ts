/**
 * Reading whole files through the pipeline, shared by `replay` and `report` (the file-reading
 * half of replay, which report used to import from a command): what each file is, every JSONL
 * first as `run` reads them, a progress bar on a terminal, the summary text.
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { UsageError } from "../commands/usage-error.ts";
import type { OpenClawEvent } from "../events/types.ts";
import type { SourceKind } from "../line/record.ts";
import { classifyFileName } from "../tail/file-names.ts";
import { readFileLines } from "../tail/file-reader.ts";
import { MetricStore } from "../telemetry/storage/metric-store.ts";
import { Pipeline, readingOrder, type PipelineStats } from "./pipeline.ts";

export interface ReplayFile { path: string; source: SourceKind; profile: string; size: number }

/** Names, kinds and sizes of the files to read; a UsageError for one that cannot be read. */
export function describe(path: string): ReplayFile {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path} is not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const info = classifyFileName(basename(path));
  if (info) return { path, source: info.source, profile: info.profile, size };
  return { path, source: path.endsWith(".jsonl") ? "diagnostics" : "log", profile: "", size };
}

/**
 * Reads every file from its first byte to its last through `pipeline` (every JSONL first, as
 * `run` does: readingOrder), with a progress bar on
 * stderr when it is a terminal (or `progress` says so). Shared by `replay` and `report`.
 */
export async function readAll(
  files: readonly ReplayFile[], pipeline: Pipeline, err: NodeJS.WritableStream & { isTTY?: boolean },
  progress: boolean | undefined, label: string, afterFile?: () => void,
): Promise<void> {
  const total = files.reduce((n, f) => n + f.size, 0);
  const showProgress = progress ?? Boolean(err.isTTY);
  // Loaded only when shown: cli-progress and its width helpers cost start-up time and memory.
  const cliProgress = showProgress ? (await import("cli-progress")).default : undefined;
  const bar = cliProgress
    ? new cliProgress.SingleBar({ stream: err, format: `${label} [{bar}] {percentage}% | {value}/{total} MB | {file}`, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(Math.max(1, Math.round(total / 1e6)), 0, { file: "" });
  let done = 0;
  for (const f of readingOrder(files)) {
    await readFileLines(f.path, f.source, f.profile, (r) => pipeline.handle(r), {
      onProgress: (bytes) => bar?.update(Math.round((done + bytes) / 1e6), { file: basename(f.path) }),
    });
    done += f.size;
    afterFile?.();
  }
  bar?.stop();
}

export function summaryText(s: PipelineStats): string {
  const sorted = (m: Record<string, number>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1));
  const events = Object.values(s.events).reduce((a, b) => a + b, 0);
  const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
  const out = [`lines read: ${s.lines}`, `events: ${events}`];
  for (const [t, n] of sorted(s.events)) out.push(`  ${t}: ${n}`);
  out.push(`ignored: ${s.ignored}`, `rejected: ${rejected}`);
  for (const [r, n] of sorted(s.rejected)) out.push(`  ${r}: ${n}`);
  const dups = sorted(s.duplicates);
  if (dups.length) {
    out.push(`duplicates dropped: ${dups.reduce((a, [, n]) => a + n, 0)}`);
    for (const [t, n] of dups) out.push(`  ${t}: ${n}`);
  }
  return out.join("\n") + "\n";
}

/**
 * A pipeline that counts into a store of its own and hands every event to `onEvent`: for
 * commands that want the events of files (`report`), not their metrics.
 */
export function eventPipeline(onEvent: (ev: OpenClawEvent) => void): Pipeline {
  return new Pipeline({ store: new MetricStore(), onEvent });
}
