/**
 * Which basenames in the log directory we follow, and what the name says about the file.
 *
 * Gateway log (docs/openclaw-formats.md §1.1, §1.2): `openclaw-YYYY-MM-DD.log`, from 2026.8.2 also
 * `openclaw-<profile>-YYYY-MM-DD.log` (OpenClaw's own ROLLING_LOG_FILE_RE), and from 2026.4.25
 * size-rotated copies `<live name without .log>.N.log` (N = 1..5, higher is older).
 * Diagnostic JSONL (our companion plugin): `diagnostics[-<profile>]-YYYY-MM-DD.jsonl`, with the
 * same profile encoding; `.N.jsonl` is accepted too so a rotating plugin needs no tailer change.
 */
import type { SourceKind } from "../line/record.ts";

export interface FileNameInfo {
  readonly source: SourceKind;
  /**
   * The profile segment exactly as written in the file name ("" for the default profile).
   * It is OpenClaw's escaped form (`-`→`--`, `_`→`-0`, ...): an identifier, never a metric label.
   */
  readonly profile: string;
  /** Local date from the file name, YYYY-MM-DD. */
  readonly date: string;
  /** 0 for the live file, N for `.N.log` / `.N.jsonl`. */
  readonly rotation: number;
}

// The profile group is greedy but the date must be the last dash-separated part before the
// extension, so `openclaw-2026-11-21.log` backtracks to profile "" and date 2026-11-21.
const LOG_RE = /^openclaw(?:-([a-z0-9-]+))?-(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,3}))?\.log$/;
const DIAGNOSTICS_RE =
  /^diagnostics(?:-([a-z0-9-]+))?-(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,3}))?\.jsonl$/;

export function classifyFileName(basename: string): FileNameInfo | undefined {
  const log = LOG_RE.exec(basename);
  if (log) return info("log", log);
  const diag = DIAGNOSTICS_RE.exec(basename);
  if (diag) return info("diagnostics", diag);
  return undefined;
}

function info(source: SourceKind, m: RegExpExecArray): FileNameInfo {
  return {
    source,
    profile: m[1] ?? "",
    date: m[2] ?? "",
    rotation: m[3] === undefined ? 0 : Number(m[3]),
  };
}

/**
 * Reading order within one poll: by source, profile and date, and within one day the oldest
 * rotation first (`.5` before `.1` before the live file), so lines are handed on roughly in
 * the order they were written.
 */
export function compareFileNames(a: FileNameInfo, b: FileNameInfo): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.profile !== b.profile) return a.profile < b.profile ? -1 : 1;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return b.rotation - a.rotation;
}
