/**
 * `openclaw-otel replay [--format events|prometheus] FILE...`: reads whole files once, from the
 * first byte to the last, through the same pipeline `run` uses, then prints either one JSON
 * object per event or the final Prometheus text. A summary goes to stderr.
 */
import { statSync } from "node:fs";
import os from "node:os";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { formatEvent } from "./events/index.ts";
import type { OpenClawEvent } from "./events/types.ts";
import { Pipeline, readingOrder, type PipelineStats } from "./pipeline.ts";
import { classifyFileName } from "./tail/file-names.ts";
import { readFileLines } from "./tail/file-reader.ts";
import type { SourceKind } from "./line/record.ts";
import { MetricStore } from "./telemetry/storage/metric-store.ts";
import { renderPrometheus } from "./telemetry/export/prometheus-text.ts";
import { resourceAttributes } from "./telemetry/export/resource.ts";
import { UsageError } from "./usage-error.ts";

export const REPLAY_HELP = `Usage: openclaw-otel replay [--format events|prometheus] [options] FILE...

Reads each file from its start to its end and prints:
  --format events       one JSON object per event: {"type":..., "ts": <epoch ms>, ...fields} (default)
  --format prometheus   the final Prometheus text, exactly what \`run\` serves after these lines
Options:
  --host-name NAME      host_name label / host.name (default: this machine's host name)
  --profile NAME        openclaw_profile label of files without a profile in their name (default:
                        the profile in the file names, if only one); each other profile named by
                        the files gets its own openclaw_profile
  --progress            show a progress bar on stderr (default: when stderr is a terminal)
  --no-progress         never show it
File names like OpenClaw's (openclaw[-profile]-YYYY-MM-DD[.N].log, diagnostics[-profile]-YYYY-MM-DD.jsonl)
give the source and profile; other names ending in .jsonl are read as diagnostics, the rest as logs.
A summary (lines read, events by type, ignored, rejected by reason) goes to stderr.
`;

export { UsageError };

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

export async function replay(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<PipelineStats> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, allowNegative: true, strict: true,
      options: {
        format: { type: "string", default: "events" }, "host-name": { type: "string" },
        profile: { type: "string" }, progress: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format;
  if (format !== "events" && format !== "prometheus") throw new UsageError(`--format must be events or prometheus, got "${format}"`);
  if (positionals.length === 0) throw new UsageError("replay needs at least one FILE");
  const files = positionals.map(describe);

  const store = new MetricStore();
  const lines: string[] = [];
  const flushOut = () => { if (lines.length) { out.write(lines.join("")); lines.length = 0; } };
  // The profile of the identity label and resource: --profile, else the one profile the files
  // name. Events of any other profile carry their own (metric-sink.ts).
  const names = new Set(files.map((f) => f.profile));
  const profile = values.profile ?? (names.size === 1 ? [...names][0] : undefined);
  const pipeline = new Pipeline({
    store, defaultProfile: profile,
    onEvent: format === "events" ? (ev) => { lines.push(formatEvent(ev) + "\n"); if (lines.length >= 512) flushOut(); } : undefined,
  });
  // A profile with a JSONL among the inputs has its log echoes decided by the time that JSONL covers.
  for (const f of files) pipeline.noteFile(f);

  await readAll(files, pipeline, err, values.progress, "replay", flushOut);
  pipeline.flushCounters();

  if (format === "prometheus") {
    const hostName = values["host-name"] ?? os.hostname();
    const resource = resourceAttributes({ serviceName: "openclaw", hostName, profile, resourceAttributes: {} });
    out.write(renderPrometheus(store, { resource, hostName, profile }));
  }
  err.write(summaryText(pipeline.stats));
  return pipeline.stats;
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
