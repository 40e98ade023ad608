/**
 * `openclaw-otel report`: reads the files through the same pipeline as `replay` (parse,
 * dedupe), sorts the events that can make incidents into one time order (the log and the JSONL
 * are two files written side by side), feeds them to the IncidentBuilder and prints the
 * timeline, the verdict and a summary, as text or JSON.
 */
import { basename } from "node:path";
import type { OpenClawEvent } from "../events/types.ts";
import { IncidentBuilder } from "../incidents/index.ts";
import { relevanceFilter } from "../incidents/relevance.ts";
import { describe, eventPipeline, readAll } from "../pipeline/read-files.ts";
import { expandPaths, parseReportArgs } from "./args.ts";
import { fileEndTime } from "./files-end.ts";
import { renderJson, renderText, type ReportData } from "./render.ts";

/** Events that do not matter are kept as one time mark per source and minute. */
const MARK_EVERY_MS = 60_000;

type Item = { ts: number; ev?: OpenClawEvent };

export async function report(
  argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env, now = Date.now(),
): Promise<ReportData> {
  const args = parseReportArgs(argv, env, now);
  const files = expandPaths(args.paths, (path, why) => err.write(`openclaw-otel: skipped ${path}: ${why}, not a log file\n`)).map(describe);
  const items: Item[] = [];
  let keep = relevanceFilter();
  let lastMark = -Infinity;
  const before = { events: 0, newest: null as number | null };
  const pipeline = eventPipeline((ev) => {
    // Only the range is fed: the summary's counts are the range's, and trouble that began
    // before it shows as starting at its start.
    if (ev.ts < args.since) { before.events++; before.newest = Math.max(before.newest ?? -Infinity, ev.ts); return; }
    if (ev.ts > args.until) return;
    if (keep(ev)) items.push({ ts: ev.ts, ev });
    else if (ev.ts - lastMark >= MARK_EVERY_MS || ev.ts < lastMark) { items.push({ ts: ev.ts }); lastMark = ev.ts; }
  });
  // A profile with a JSONL among the inputs has its log echoes decided by the time that JSONL covers.
  for (const f of files) pipeline.noteFile(f);
  await readAll(files, pipeline, err, args.progress, "report", () => { keep = relevanceFilter(); lastMark = -Infinity; });

  // Stable: equal times keep file order (a failure-state line after the fetch that caused it).
  items.sort((a, b) => a.ts - b.ts);
  // Nothing is forgotten while reading: the range decides what is shown, not retention.
  const builder = new IncidentBuilder({ retentionMs: Infinity, maxClosed: 100_000 });
  for (const it of items) {
    if (it.ev) builder.add(it.ev);
    else builder.seen(it.ts);
  }
  // The files end after their last event (quiet trouble ends, a recovered bot shows healthy):
  // their last line's time, within the range and never after now.
  const ends = files.map((f) => fileEndTime(f.path) ?? -Infinity).filter((t) => t >= args.since);
  const end = Math.min(Math.max(-Infinity, ...ends), args.until, now);
  if (Number.isFinite(end) && (builder.coverage().lastTs ?? -Infinity) < end) builder.seen(end);
  const cov = builder.coverage();
  const at = args.untilGiven ? args.until : cov.lastTs ?? args.until;
  builder.advance(at);
  const data: ReportData = {
    since: args.since, until: args.until, at, atIsEnd: !args.untilGiven,
    files: files.map((f) => basename(f.path)),
    lines: pipeline.stats.lines,
    events: Object.values(pipeline.stats.events).reduce((a, b) => a + b, 0),
    sources: [...new Set(files.map((f) => f.source))],
    firstTs: cov.firstTs, lastTs: cov.lastTs,
    incidents: builder.incidents(),
    verdict: builder.verdict(at),
    providers: builder.providers(),
    before,
  };
  out.write(args.json ? renderJson(data) : renderText(data, { utc: args.utc }));
  return data;
}
