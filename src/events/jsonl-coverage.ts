/**
 * The time a profile's diagnostic JSONL actually covers (docs/design.md, "Counting an event once
 * when two sources carry it"). The JSONL wins over the log's echoes and derived failovers only
 * there: before the plugin was installed, after it stopped, or beside an old or empty JSONL file,
 * the log's events count.
 *
 * Rule: every JSONL line read (any event, heartbeats included) at time x vouches for
 * [x - BEFORE_MS, x + AFTER_MS] of its profile. AFTER_MS is two heartbeat intervals: a gateway
 * with work to do emits `diagnostic.heartbeat` every 30 s (and stops only 120 s after its last
 * activity, when the log has no echoes either: docs/openclaw-formats.md §2.1), so a log event
 * more than 60 s past the JSONL's last line means the plugin is not writing. BEFORE_MS absorbs
 * the log line of a moment being stamped a few milliseconds before its JSONL twin.
 *
 * Kept as merged spans [first, last] of JSONL times per profile (consecutive lines closer than
 * BEFORE_MS + AFTER_MS merge), the newest MAX_SPANS per profile; saved in the checkpoint so a
 * restart decides as an uninterrupted run would.
 */

export const BEFORE_MS = 2_000;
export const AFTER_MS = 60_000;
/**
 * Spans remembered per profile, the oldest forgotten first. A gateway idle for more than a
 * minute starts a new span; any activity is followed by 120 s of heartbeats, so a span and the
 * gap after it take at least 3 minutes: at most ~480 a day, and 2048 hold over four days (the
 * plugin keeps 24 h of files).
 */
const MAX_SPANS = 2048;

export interface CoverageState { spans: Record<string, Array<[number, number]>> }

export class JsonlCoverage {
  private readonly spans = new Map<string, Array<[number, number]>>();

  /** A JSONL line of `profile` at `ts` was read. */
  note(profile: string, ts: number): void {
    if (!Number.isFinite(ts)) return;
    let list = this.spans.get(profile);
    if (list === undefined) this.spans.set(profile, (list = []));
    const last = list.at(-1);
    // The usual case: the JSONL is read in time order.
    if (last !== undefined && ts >= last[0]) {
      if (ts <= last[1]) return;
      if (ts - last[1] <= BEFORE_MS + AFTER_MS) { last[1] = ts; return; }
      list.push([ts, ts]);
    } else {
      insert(list, ts);
    }
    if (list.length > MAX_SPANS) list.splice(0, list.length - MAX_SPANS);
  }

  /** True when the profile's JSONL covers time `t`. */
  covers(profile: string, t: number): boolean {
    const list = this.spans.get(profile);
    if (list === undefined || list.length === 0) return false;
    // The newest span first (log lines are mostly read near the JSONL's end), then a binary
    // search for the last span starting at or before t + BEFORE_MS (spans are sorted, disjoint).
    let lo = 0;
    let hi = list.length - 1;
    if (t >= list[hi]![0] - BEFORE_MS) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]![0] - BEFORE_MS <= t) lo = mid;
      else hi = mid - 1;
    }
    const [a, b] = list[lo]!;
    return t >= a - BEFORE_MS && t <= b + AFTER_MS;
  }

  /** The newest JSONL time read for the profile, -Infinity when none. */
  end(profile: string): number {
    return this.spans.get(profile)?.at(-1)?.[1] ?? -Infinity;
  }

  snapshot(): CoverageState {
    return { spans: Object.fromEntries([...this.spans].map(([p, l]) => [p, l.map(([a, b]) => [a, b] as [number, number])])) };
  }

  restore(state: CoverageState | undefined): void {
    this.spans.clear();
    for (const [profile, list] of Object.entries(state?.spans ?? {})) {
      if (!Array.isArray(list)) continue;
      const ok = list.filter((s): s is [number, number] =>
        Array.isArray(s) && s.length === 2 && Number.isFinite(s[0]) && Number.isFinite(s[1]) && s[0] <= s[1]);
      if (ok.length > 0) this.spans.set(profile, ok.slice(-MAX_SPANS).map(([a, b]) => [a, b]));
    }
  }
}

/** A time older than the newest span (several writers, a clock step): merged where it falls. */
function insert(list: Array<[number, number]>, ts: number): void {
  const gap = BEFORE_MS + AFTER_MS;
  let i = list.findIndex(([a]) => a > ts);
  if (i === -1) i = list.length;
  const prev = list[i - 1];
  const next = list[i];
  const joinPrev = prev !== undefined && ts - prev[1] <= gap;
  const joinNext = next !== undefined && next[0] - ts <= gap;
  if (joinPrev && joinNext) { prev[1] = next[1]; list.splice(i, 1); }
  else if (joinPrev) prev[1] = Math.max(prev[1], ts);
  else if (joinNext) next[0] = ts;
  else list.splice(i, 0, [ts, ts]);
}
