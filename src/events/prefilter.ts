/**
 * The cheap decision, made on the raw line before JSON.parse, whether a gateway log line can
 * carry an event at all.
 *
 * Why: most lines of a debug log are WebSocket chatter, plugin loading and channel noise. tslog
 * writes the subsystem binding first (`{"0":"{\"subsystem\":\"gateway/ws\"}",…`, both tslog 4
 * and 5), so the subsystem can be read with one startsWith and one indexOf. Lines of subsystems
 * that never carry an event are ignored without parsing; lines of subsystems that may carry one
 * are parsed only when one of that subsystem's marker substrings is present. Markers hold no
 * `"` or `\`, so JSON escaping cannot hide them.
 *
 * A line that does not end with `}` (a torn or truncated write) always goes to the full parse, so
 * it is rejected as invalid_json even when its subsystem is uninteresting. A syntax error in
 * the middle of an uninteresting line that still ends in `}` goes unnoticed: accepted cost.
 */

const SUB_PREFIX = '{"0":"{\\"subsystem\\":\\"';
const SUB_END = '\\"';
const ROOT_PREFIX = '{"0":';

/** Markers for each interesting subsystem family; "all" = parse every line. */
const FAILOVER = [
  "failover decision", "failure state updated", "model fallback decision",
  // Per-attempt failures, same-model retries, the rotation cap (derive-attempts.ts).
  "embedded run agent end", "same-model retry", "rotation cap reached",
];
const CHANNEL = [
  "discord gateway: Gateway", "Telegram ", "reply failed", "channel exited", "auto-restart attempt",
  "giving up after", "channel startup failed", "health-monitor: restarting",
];

function markersFor(subsystem: string): readonly string[] | "all" | null {
  if (subsystem === "diagnostic") return "all";
  // The answered turn (derive-attempts.ts deriveTurnEnd).
  if (subsystem === "agents/agent-command") return ["ended with stopReason="];
  if (subsystem.startsWith("agent") || subsystem.startsWith("model-fallback")) return FAILOVER;
  if (subsystem.startsWith("gateway/channels") || subsystem === "gateway/health-monitor") return CHANNEL;
  if (subsystem.startsWith("telegram")) return CHANNEL;
  if (subsystem === "gateway/diagnostics/memory") return ["memory pressure:"];
  // A failed user turn; the ASCII part of `⇄ res ✗ agent errorCode=` (derive-attempts.ts).
  // The lifecycle event of a failed run (verbose): `→ event agent … phase=error`.
  if (subsystem === "gateway/ws") return [" agent errorCode=", "phase=error"];
  if (subsystem === "session-sqlite" || subsystem === "sqlite/transaction") return ["slow SQLite "];
  if (subsystem === "gateway") return ["auth state re-warmed"];
  if (subsystem === "gateway/model-pricing") return ["pricing fetch failed"];
  if (subsystem === "provider-transport-fetch") return ["[model-fetch] response", "[model-fetch] error"];
  return null;
}

/**
 * Root-logger lines (console capture, `logVerbose`): the `All models failed` summary, the reply
 * runner's `… agent failed before reply:` (a failed turn, whatever the cause) and
 * Telegram reply failures printed through the runtime. Discord's pattern-D copies are not
 * wanted (see docs/events.md), so no Discord marker here.
 */
const ROOT_MARKERS = ["All models failed", "agent failed before reply:", "Network request for '", "file log queue overflow"];

function hasAny(line: string, markers: readonly string[]): boolean {
  for (const m of markers) if (line.indexOf(m) !== -1) return true;
  return false;
}

/** True when the line must be parsed; false when it certainly carries no event. */
export function mayBeEvent(line: string): boolean {
  if (line.charCodeAt(line.length - 1) !== 125 /* } */) return true;
  if (line.startsWith(SUB_PREFIX)) {
    const end = line.indexOf(SUB_END, SUB_PREFIX.length);
    if (end === -1) return true;
    const markers = markersFor(line.slice(SUB_PREFIX.length, end));
    if (markers === null) return false;
    return markers === "all" || hasAny(line, markers);
  }
  if (line.startsWith(ROOT_PREFIX)) return hasAny(line, ROOT_MARKERS);
  // Anything else (the 2.22–4.24 size-cap record, merged root objects, garbage): full parse.
  return true;
}
