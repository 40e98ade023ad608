/**
 * `openclaw-otel replay [--format events|prometheus] FILE...`: reads whole files once, from the
 * first byte to the last, through the same pipeline `run` uses, then prints either one JSON
 * object per event or the final Prometheus text. A summary goes to stderr.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { formatEvent } from "../events/index.ts";
import { Pipeline, type PipelineStats } from "../pipeline/pipeline.ts";
import { MetricStore } from "../telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../telemetry/export/prometheus-text.ts";
import { resourceAttributes } from "../telemetry/export/resource.ts";
import { describe, readAll, summaryText } from "../pipeline/read-files.ts";
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

