/**
 * The offline half of `openclaw-otel doctor`, also run at start-up of `run` (one log line per
 * finding): is the log directory there and readable by this user, which OpenClaw log files and
 * plugin JSONL it holds, what the newest log lines say (line format -> OpenClaw version range,
 * log levels, Node version) and how far their clock is from ours. Reads at most the last
 * 64 KiB of the newest log, so it stays instant on a 100 MB file.
 */
import { accessSync, closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { classifyFileName } from "../tail/file-names.ts";

export type Verdict = "ok" | "warn" | "fail";
export interface Finding { verdict: Verdict; what: string; detail: string }

const TAIL_BYTES = 64 * 1024;
/** OpenClaw writes `time` in UTC (`Z`) before 2026.3.2 and with the local offset from then on. */
const OFFSET_TIME = /"time":"\d{4}-\d{2}-\d{2}T[\d:.]+[+-]\d{2}:\d{2}"/;
const ZULU_TIME = /"time":"\d{4}-\d{2}-\d{2}T[\d:.]+Z"/;

/** plugin/ beside src/ (a checkout) or beside dist/ (the npm package). */
export function pluginDir(): string | undefined {
  return ["../../plugin", "../../../plugin"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
    .find((dir) => existsSync(path.join(dir, "openclaw.plugin.json")));
}

/** OpenClaw's state directory has agents to follow (src/store finds their transcripts there). */
export function storeSeen(stateDir: string | null | undefined): boolean {
  return stateDir !== null && stateDir !== undefined && existsSync(path.join(stateDir, "agents"));
}

/** What the plugin would add; with OpenClaw's session store followed, tokens and cost come from there already. */
export function pluginHint(storeFollowed = false): string {
  const how = `add ${pluginDir() ?? "the package's plugin/ directory"} to plugins.load.paths in openclaw.json and enable "otel-sidecar-diagnostics" (docs/openclaw.md)`;
  return storeFollowed
    ? `tokens and cost come from OpenClaw's session store (--openclaw-state); the companion plugin adds turn outcomes, durations and every diagnostic event: ${how}`
    : `tokens and cost need the companion plugin: ${how}`;
}

interface Newest { file: string; mtimeMs: number }

function newestOf(dir: string, names: string[]): Newest | undefined {
  let best: Newest | undefined;
  for (const name of names) {
    try {
      // lstat: a symbolic link is never followed, here as in the tailer.
      const st = lstatSync(path.join(dir, name));
      if (st.isFile() && (best === undefined || st.mtimeMs > best.mtimeMs)) best = { file: name, mtimeMs: st.mtimeMs };
    } catch { /* vanished or unreadable: the tailer will say so */ }
  }
  return best;
}

function tailLines(file: string): string[] {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString("utf8").split("\n");
    if (size > len) lines.shift(); // a partial first line
    return lines.filter((l) => l.trim() !== "");
  } finally {
    closeSync(fd);
  }
}

/** What the newest log's last lines show. */
function describeLog(file: string, now: number): Finding[] {
  let lines: string[];
  try { lines = tailLines(file); } catch (err) {
    return [{ verdict: "fail", what: "newest log", detail: `cannot read ${file}: ${(err as Error).message}` }];
  }
  if (lines.length === 0) return [{ verdict: "warn", what: "newest log", detail: `${path.basename(file)} is empty so far` }];
  const levels = new Map<string, number>();
  let runtime: string | undefined;
  let newestTs = NaN;
  let offset = 0;
  let zulu = 0;
  for (const line of lines) {
    if (OFFSET_TIME.test(line)) offset++;
    else if (ZULU_TIME.test(line)) zulu++;
    try {
      const obj = JSON.parse(line) as { time?: unknown; _meta?: { logLevelName?: unknown; runtimeVersion?: unknown; date?: unknown } };
      const level = obj._meta?.logLevelName;
      if (typeof level === "string") levels.set(level, (levels.get(level) ?? 0) + 1);
      if (typeof obj._meta?.runtimeVersion === "string") runtime = obj._meta.runtimeVersion;
      const t = Date.parse(String(obj.time ?? obj._meta?.date ?? ""));
      if (Number.isFinite(t) && !(t <= newestTs)) newestTs = t;
    } catch { /* not JSON: counted by the sidecar as rejected, not the doctor's business */ }
  }
  const out: Finding[] = [];
  const version = offset > 0 ? "OpenClaw 2026.3.2 or later (time with local offset)" : zulu > 0 ? "OpenClaw before 2026.3.2 (time in UTC)" : "no OpenClaw line format recognised";
  const levelText = [...levels].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(", ") || "none";
  const debug = levels.has("DEBUG") || levels.has("TRACE");
  out.push({ verdict: offset + zulu > 0 ? "ok" : "warn", what: "log format", detail: `${version}; last ${lines.length} lines by level: ${levelText}${runtime ? `; Node ${runtime}` : ""}` });
  if (!debug) out.push({ verdict: "ok", what: "log level", detail: "info (OpenClaw's default): failovers, cooldowns and errors only; logging.level \"debug\" adds lane, session and webhook echoes" });
  if (Number.isFinite(newestTs)) {
    const skew = newestTs - now;
    const age = Math.round(-skew / 1000);
    if (skew > 3_600_000) out.push({ verdict: "fail", what: "clock", detail: `the newest line is ${Math.round(skew / 60_000)} min ahead of this clock: `
      + "lines more than 1 h ahead are rejected (future_timestamp); fix the clock of one side" });
    else if (skew > 60_000) out.push({ verdict: "warn", what: "clock", detail: `the newest line is ${Math.round(skew / 1000)} s ahead of this clock` });
    else {
      const old = age < 7200 ? `${Math.round(age / 60)} min` : `${Math.round(age / 3600)} h`;
      out.push({ verdict: age > 3600 ? "warn" : "ok", what: "clock", detail: age < 120 ? "the newest line is from the last two minutes" : `the newest line is ${old} old (is the gateway running?)` });
    }
  }
  return out;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Checks of the log directory and its files; `now` is the wall clock (ms). */
export function inspectLogs(logsDir: string, now: number = Date.now(), storeFollowed = false): Finding[] {
  const where = "OpenClaw writes its log where logging.file says (default /tmp/openclaw/openclaw-YYYY-MM-DD.log); point --logs (OPENCLAW_OTEL_LOGS) at that directory";
  let names: string[];
  try {
    accessSync(logsDir, constants.R_OK | constants.X_OK);
    names = readdirSync(logsDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" || code === "EPERM" ? `is not readable by this user (uid ${process.getuid?.() ?? "?"})` : (err as Error).message;
    return [{ verdict: "fail", what: "log directory", detail: `${logsDir} ${why}; ${code === "ENOENT" ? where : "run the sidecar as the gateway's user, or grant read access (docs/stack.md)"}` }];
  }
  const links = names.filter((n) => classifyFileName(n) && isLink(path.join(logsDir, n)));
  const out: Finding[] = [];
  if (links.length > 0) {
    const named = `${links.slice(0, 3).join(", ")}${links.length > 3 ? ", ..." : ""}`;
    out.push({ verdict: "warn", what: "symbolic links", detail: `${links.length} name(s) like a log in ${logsDir} are symbolic links (${named}): `
      + "never followed, so a link cannot expose a file outside the directory; put the file itself there" });
  }
  const files = names.filter((n) => !links.includes(n));
  const logs = files.filter((n) => classifyFileName(n)?.source === "log");
  const jsonl = files.filter((n) => classifyFileName(n)?.source === "diagnostics");
  if (logs.length === 0) out.push({ verdict: "fail", what: "OpenClaw log", detail: `no OpenClaw log found in ${logsDir}; ${where}` });
  else {
    const newest = newestOf(logsDir, logs);
    const profiles = [...new Set(logs.map((n) => classifyFileName(n)?.profile || "default"))];
    out.push({ verdict: "ok", what: "OpenClaw log", detail: `${logs.length} file(s) in ${logsDir}, newest ${newest?.file ?? "?"}; profiles: ${profiles.join(", ")}` });
    if (newest) out.push(...describeLog(path.join(logsDir, newest.file), now));
  }
  if (jsonl.length === 0) out.push({ verdict: "warn", what: "plugin JSONL", detail: `no diagnostics-*.jsonl in ${logsDir}: ${pluginHint(storeFollowed)}` });
  else out.push({ verdict: "ok", what: "plugin JSONL", detail: `${jsonl.length} file(s), newest ${newestOf(logsDir, jsonl)?.file ?? "?"}: tokens, cost and every diagnostic event` });
  return out;
}
