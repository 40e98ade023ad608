/**
 * `report`'s command line: the time range (`--since 24h`, `--since 2026-11-21T20:00`,
 * `--since all`, `--until ...`), the output form, and the inputs (files or log directories).
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { classifyFileName, compareFileNames } from "../tail/file-names.ts";
import { UsageError } from "../commands/usage-error.ts";

export const REPORT_HELP = `Usage: openclaw-otel report [--since 24h] [--until T] [--json] [--utc] [DIR|FILE...]

Reads OpenClaw's gateway logs (and the companion plugin's diagnostics JSONL) from the files,
no running sidecar needed, and prints what went wrong: a timeline of incidents (rate limits,
auth and billing failures, every model failing, stuck sessions, lane waits, channel trouble,
gaps), a verdict (healthy, degraded or down) and a summary per provider and auth profile.
  DIR|FILE...     log directories (their openclaw-*.log and diagnostics-*.jsonl) or files
                  (default: /tmp/openclaw, or $OPENCLAW_OTEL_LOGS)
  --since WHEN    start of the range: a duration before --until (30m, 24h, 7d), a time
                  (2026-11-21T20:00, read as local time unless it ends in Z), or "all" (default 24h)
  --until WHEN    end of the range: a time or a duration before now (default: now)
  --json          one JSON object (incidents, verdict, providers) instead of text
  --utc           times in UTC (default: local time)
  --progress / --no-progress   a progress bar on stderr (default: when stderr is a terminal)
Ids are never printed: auth profiles appear as OpenClaw redacts them (sha256:<12 hex>).
`;

export interface ReportArgs {
  since: number;
  until: number;
  /** Whether --until was given (else the verdict is for the end of the files). */
  untilGiven: boolean;
  json: boolean;
  utc: boolean;
  progress?: boolean;
  paths: string[];
}

const UNIT: Record<string, number> = { s: 1e3, m: 6e4, min: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

/** A duration (`90m`, `24h`) in ms, a time in epoch ms, or undefined when it is neither. */
function parseWhen(text: string, base: number): number | undefined {
  const d = /^(\d+(?:\.\d+)?)(s|m|min|h|d|w)$/.exec(text);
  if (d) return base - Number(d[1]) * UNIT[d[2]!]!;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

export function parseReportArgs(argv: string[], env: NodeJS.ProcessEnv, now: number): ReportArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, allowNegative: true, strict: true,
      options: {
        since: { type: "string" }, until: { type: "string" }, json: { type: "boolean" },
        utc: { type: "boolean" }, progress: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const until = values.until === undefined ? now : parseWhen(values.until, now);
  if (until === undefined) throw new UsageError(`--until must be a duration (30m, 24h, 7d) or a time (2026-11-21T20:00), got "${values.until}"`);
  const sinceText = values.since ?? "24h";
  const since = sinceText === "all" ? -Infinity : parseWhen(sinceText, until);
  if (since === undefined) throw new UsageError(`--since must be a duration (30m, 24h, 7d), a time (2026-11-21T20:00) or "all", got "${sinceText}"`);
  if (since >= until) throw new UsageError("--since must be before --until");
  const paths = positionals.length > 0 ? positionals : [env["OPENCLAW_OTEL_LOGS"] || "/tmp/openclaw"];
  return { since, until, untilGiven: values.until !== undefined, json: values.json ?? false, utc: values.utc ?? false, progress: values.progress, paths };
}

/**
 * The files behind the paths: a directory gives its OpenClaw log and JSONL files, oldest first.
 * An entry of a directory that is named like a log but is not a regular file (a subdirectory,
 * a FIFO, a dangling link) is skipped and told to `skip`, as `run` skips it: reading a FIFO
 * would block for ever, and one odd entry must not cost the whole report. A path named on the
 * command line is the user's choice and still fails loudly (replay.ts describe()).
 */
export function expandPaths(paths: string[], skip: (path: string, why: string) => void = () => {}): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try { st = statSync(p); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const hint = code === "ENOENT" ? ": name the log files or directories to read (report DIR|FILE...), or set OPENCLAW_OTEL_LOGS" : "";
      throw new UsageError(`cannot read ${p}: ${code}${hint}`);
    }
    if (!st.isDirectory()) { out.push(p); continue; }
    const found = readdirSync(p).flatMap((name) => {
      const info = classifyFileName(name);
      if (!info) return [];
      const why = notRegular(join(p, name));
      if (why !== undefined) { skip(join(p, name), why); return []; }
      return [{ name, info }];
    }).sort((a, b) => compareFileNames(a.info, b.info));
    if (found.length === 0) throw new UsageError(`${p} holds no OpenClaw log (openclaw-*.log) or diagnostics (diagnostics-*.jsonl) file`);
    out.push(...found.map((f) => join(p, f.name)));
  }
  return out;
}

/** Why `path` cannot be read as a log file, or undefined when it is a regular file (links followed). */
function notRegular(path: string): string | undefined {
  let st;
  try { st = statSync(path); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return "a dangling symlink";
    return `cannot stat (${code ?? (err as Error).message})`;
  }
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
