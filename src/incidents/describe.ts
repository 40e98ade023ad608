/**
 * One line of text per incident, for the report's timeline and the page's incident list:
 * `20:22:14  rate_limit on google (profile goo…ab12): 14 requests 429 in 3 min -> cooldown 1m
 * -> fallback to zhipu/glm-4.7 (3 turns)`. Only the incident's bounded fields go in.
 */
import { LANE_WAIT_MS, QUEUE_DEPTH } from "./thresholds.ts";
import type { Incident } from "./types.ts";

export interface TimeFormat { utc: boolean; withDate: boolean }

const pad = (n: number) => String(n).padStart(2, "0");

/** `20:22:14` (or `2026-11-21 20:22:14` with dates), in local time or UTC. */
export function formatTime(ts: number, f: TimeFormat, seconds = true): string {
  const d = new Date(ts);
  const [Y, M, D, h, m, s] = f.utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const time = seconds ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(h)}:${pad(m)}`;
  return f.withDate ? `${Y}-${pad(M)}-${pad(D)} ${time}` : time;
}

/** `12 s`, `3 min`, `2 h 5 min`: how people say durations. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}

/** Window lengths as OpenClaw's config writes them: `30s`, `1m`, `5h`. */
function shortLength(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0 && s > 0) return `${s / 3600}h`;
  if (s % 60 === 0 && s > 0) return `${s / 60}m`;
  if (s < 120) return `${s}s`;
  // OpenClaw computes the end a few ms before logging it: 17999 s is its 5h.
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}

const statusOf = (label: string) => (label.startsWith("http_") ? label.slice(5) : label.replace(/_/g, " "));

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const isRequestLabel = (k: string) => k.startsWith("http_") || k === "timeout" || k === "network_error";
/** `all_profiles_unavailable` was a reason word before skips were counted apart (old checkpoints). */
const OLD_SKIP = "all_profiles_unavailable";

/** `14 requests 429`, `2 requests 401/403`, else `3 failures (rate_limit)`: failed attempts, each once. */
function failures(inc: Incident): string {
  const n = inc.count - (inc.reasons[OLD_SKIP] ?? 0);
  const requests = inc.requests ?? 0;
  const words = (pick: (k: string) => boolean) => Object.keys(inc.reasons).filter((k) => k !== OLD_SKIP && pick(k));
  if (requests > 0) {
    const other = n - requests;
    const more = other > 0 ? ` + ${plural(other, "failure")} (${words((k) => !isRequestLabel(k)).join(", ")})` : "";
    return `${plural(requests, "request")} ${words(isRequestLabel).map(statusOf).join("/")}${more}`;
  }
  return n <= 0 ? "" : `${plural(n, "failure")} (${words(() => true).join(", ")})`;
}

/** ` in 3 min`: how long the failures went on, when there were several over a second or more. */
function span(inc: Incident): string {
  return inc.last - inc.start >= 500 ? ` in ${formatDuration(inc.last - inc.start)}` : "";
}

function providerLine(inc: Incident): string {
  const name = inc.kind === "provider_errors" ? "errors" : inc.kind;
  const ids = (inc.profiles ?? []).map((p) => p.id);
  const who = ids.length === 0 ? "" : ` (profile${ids.length > 1 ? "s" : ""} ${ids.join(", ")})`;
  const what = failures(inc);
  const skipped = inc.skipped ?? inc.reasons[OLD_SKIP] ?? 0;
  const skips = skipped === 1 ? "skipped once" : `skipped ${skipped} times`;
  // With no failure in range, the skips are the incident: say how many and over how long.
  const head = what ? `: ${what}${span(inc)}` : skipped > 0 ? `: all profiles unavailable, ${skips}${span(inc)}` : "";
  const parts = [`${name} on ${inc.subject}${who}${head}`];
  const windows = inc.windowsOpened ?? 0;
  if (windows > 0) {
    const type = (inc.profiles ?? []).some((p) => p.window === "disabled") ? "disabled" : "cooldown";
    const lengths = (inc.windowLengthsMs ?? []).map(shortLength).join(", ");
    parts.push(windows === 1 ? `${type} ${lengths}` : `${windows} ${type === "disabled" ? "disabled windows" : "cooldowns"} (${lengths})`);
  }
  if (what && skipped > 0) parts.push(`all profiles unavailable (${skips})`);
  for (const fb of inc.fallbacks ?? []) {
    const ok = fb.okRequests ?? 0;
    const served = fb.turns > 0 ? plural(fb.turns, "turn") : ok > 0 ? plural(ok, "ok request") : "no success seen";
    parts.push(`fallback to ${fb.target} (${served})`);
  }
  return parts.join(" -> ");
}

/** `exited x6, restart_attempt x6`; one reason alone goes without its count (the line has it). */
function reasonsText(inc: Incident, omit?: string): string {
  const words = Object.entries(inc.reasons).filter(([k]) => k !== omit);
  return words.map(([k, n]) => (n > 1 && words.length > 1 ? `${k} x${n}` : k)).join(", ");
}

/** The text after the time column. */
export function incidentText(inc: Incident): string {
  const x = inc.count > 1 ? ` x${inc.count}` : "";
  switch (inc.kind) {
    case "rate_limit": case "auth": case "billing": case "provider_errors": return providerLine(inc);
    case "all_models_failed": {
      const dur = inc.end !== undefined ? ` (${formatDuration(inc.end - inc.start)})` : inc.last > inc.start ? ` (${formatDuration(inc.last - inc.start)} so far)` : "";
      const why = Object.entries(inc.providerReasons ?? {}).map(([p, r]) => `${r.split("/").map(statusOf).join("/")} ${p}`).join(", ")
        // No provider failure seen before it (older logs): the reasons the runs gave.
        || (Object.keys(inc.reasons).length > 0 ? `last reason ${Object.keys(inc.reasons).map(statusOf).join(", ")}` : "");
      const ended = inc.endedBy === "success" ? ", ended by a successful turn" : inc.endedBy === "quiet" ? ", no success seen after" : "";
      return `all models failed${dur}: ${inc.count} run${inc.count === 1 ? "" : "s"} failed${why ? `; ${why}` : ""}${ended}`;
    }
    case "session_attention": {
      // `long_running` as the reason of a long-running warning says nothing more.
      const why = reasonsText(inc, inc.subject);
      return `session ${inc.subject.replace("_", "-")} (${inc.sessions ?? 1} session${(inc.sessions ?? 1) === 1 ? "" : "s"}, oldest ${formatDuration(inc.maxMs ?? 0)})${x}${why ? `: ${why}` : ""}`;
    }
    case "lane_wait": return `lane ${inc.subject} waits over ${LANE_WAIT_MS / 1000} s${x} (longest ${formatDuration(inc.maxMs ?? 0)})`;
    case "queue_depth": return `queue ${inc.subject} deeper than ${QUEUE_DEPTH}${x} (max ${inc.maxDepth ?? 0})`;
    case "channel": {
      const detail = inc.detail ?? "";
      if (detail.endsWith(" conflict")) return `${inc.subject} ${detail}${x} (another instance polls with this bot token)`;
      return `${inc.subject} ${detail.replace(/_/g, " ")}${x}${detail.endsWith("network_error") ? "" : ` (${reasonsText(inc)})`}`;
    }
    case "gap": return `gateway silent (${formatDuration(inc.maxMs ?? 0)})`;
    case "log_loss": return `log records lost: ${inc.detail ?? "unknown"}${x}${inc.dropped !== undefined ? ` (${inc.dropped} records)` : ""}`;
    default: return inc.kind;
  }
}

/** `20:22:14  text`, or `21:05-21:41  text` for spans people read as a period. */
export function describeIncident(inc: Incident, f: TimeFormat): string {
  const ranged = (inc.kind === "all_models_failed" || inc.kind === "gap") && inc.end !== undefined && inc.end - inc.start >= 60_000;
  const when = ranged ? `${formatTime(inc.start, f, false)}-${formatTime(inc.end!, { ...f, withDate: false }, false)}` : formatTime(inc.start, f);
  return `${when}  ${incidentText(inc)}${inc.end === undefined ? "  [ongoing]" : ""}`;
}
