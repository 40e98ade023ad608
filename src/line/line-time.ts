/**
 * A raw line's own time, without the parser: the log's `time` (tslog), the JSONL's `ts`. Read
 * for the last line of a file (report) or of a poll's batch (run), so the clock of the page and
 * the report moves with every line the gateway writes, not only with the few that are events.
 */

/** Epoch ms of a raw line's own time (`"time":"…"` of the log, `"ts":…` of the JSONL), if any. */
export function lineTime(line: string): number | undefined {
  let o: unknown;
  try { o = JSON.parse(line); } catch { return undefined; }
  if (typeof o !== "object" || o === null) return undefined;
  const rec = o as { time?: unknown; ts?: unknown };
  const t = typeof rec.time === "string" ? Date.parse(rec.time) : typeof rec.ts === "number" ? rec.ts : NaN;
  return Number.isFinite(t) ? t : undefined;
}

