/**
 * IncidentBuilder: consumes typed events (roughly in time order) and keeps the incidents they
 * make up, ongoing and closed, plus per-provider and per-profile summaries. One implementation
 * behind the status page and `openclaw-otel report`.
 *
 * Time is event time: an incident goes quiet when later events (or advance(now) from a wall
 * clock) pass its quiet period. Memory is bounded: at most MAX_OPEN ongoing incidents, closed
 * ones kept for `retentionMs` and at most `maxClosed`, providers and profiles capped (state.ts).
 */
import type { OpenClawEvent } from "../events/types.ts";
import { AttemptLedger } from "./attempts.ts";
import { RunLedger } from "./runs.ts";
import { LANE_WAIT_MS, QUEUE_DEPTH } from "./thresholds.ts";
import { trackOther, type Thresholds } from "./other-track.ts";
import { PROVIDER_KINDS, trackProvider, type TrackContext } from "./provider-track.ts";
import { checkState, emptyState, MAX_OPEN, type IncidentState } from "./state.ts";
import type { Incident, IncidentKind, IncidentOptions, ProviderSummary, Severity, Verdict } from "./types.ts";
import { verdictOf } from "./verdict.ts";

const MIN = 60_000;
/** How long after its last evidence an incident of each kind ends (see closeAt for windows). */
const QUIET_MS: Record<IncidentKind, number> = {
  // Provider trouble: a default-level log names no success of 4.24's primary, so two quiet
  // minutes after its last failure (and after its keys' windows) are the evidence it passed.
  rate_limit: 2 * MIN, auth: 2 * MIN, billing: 2 * MIN, provider_errors: 2 * MIN, all_models_failed: 10 * MIN,
  session_attention: 10 * MIN, lane_wait: 5 * MIN, queue_depth: 5 * MIN, channel: 10 * MIN, gap: 0, log_loss: 10 * MIN,
};
/**
 * Trouble back this soon after its incident went quiet continues it (a storm with pauses
 * between turns is one storm); after a success, only within the quiet period (a lucky answer
 * in the middle of a storm).
 */
const reopenWithin = (kind: IncidentKind): number => (PROVIDER_KINDS.includes(kind) ? 10 * MIN : QUIET_MS[kind]);
const SEVERITY: Partial<Record<IncidentKind, Severity>> = { all_models_failed: "down", gap: "down" };
/** Quiet checks run at most this often in event time: a per-event sweep would cost throughput. */
const SWEEP_EVERY_MS = 10_000;
const DAY = 24 * 60 * MIN;

export class IncidentBuilder {
  private s: IncidentState;
  private readonly open = new Map<string, Incident>();
  private readonly opts: Required<IncidentOptions>;
  private nextSweep = -Infinity;
  private readonly ctx: TrackContext;

  constructor(opts: IncidentOptions = {}, saved?: IncidentState) {
    this.opts = {
      retentionMs: opts.retentionMs ?? DAY, maxClosed: opts.maxClosed ?? 200,
      laneWaitMs: opts.laneWaitMs ?? LANE_WAIT_MS, queueDepth: opts.queueDepth ?? QUEUE_DEPTH, gapMs: opts.gapMs ?? 5 * MIN,
    };
    this.s = saved ?? emptyState();
    for (const inc of this.s.open) this.open.set(inc.key, inc);
    this.s.open = [];
    this.ctx = {
      state: this.s, open: this.open, attempts: new AttemptLedger(), runs: new RunLedger(),
      touch: (kind, subject, t, detail, counted) => this.touch(kind, subject, t, detail, counted),
      close: (inc, t, by) => this.close(inc, t, by),
    };
  }

  /** Restores a state written by toJSON(); throws saying what is wrong if it cannot be used. */
  static fromJSON(saved: unknown, opts?: IncidentOptions): IncidentBuilder {
    return new IncidentBuilder(opts, checkState(saved));
  }

  toJSON(): IncidentState {
    return structuredClone({ ...this.s, open: [...this.open.values()] });
  }

  add(ev: OpenClawEvent): void {
    this.seen(ev.ts);
    if (ev.type === "diagnostic.heartbeat") {
      this.s.heartbeats++;
      this.s.lastHeartbeat = Math.max(this.s.lastHeartbeat ?? ev.ts, ev.ts);
    }
    if (!trackProvider(this.ctx, ev)) trackOther(this.ctx, ev, this.opts as Thresholds);
  }

  /**
   * Something was read at `t` (an event this builder has no use for): it moves the clock and
   * shows the gateway was not silent. `report` passes such events as these marks only.
   */
  seen(t: number): void {
    const s = this.s;
    if (s.firstTs === undefined || t < s.firstTs) s.firstTs = t;
    // A silence longer than gapMs after the gateway showed a heartbeat cadence: it was down
    // (or its log was). Without heartbeats a quiet night looks the same, so no gap is claimed.
    if (s.heartbeats >= 2 && s.lastTs !== undefined && t - s.lastTs > this.opts.gapMs) this.addGap(s.lastTs, t);
    if (s.lastTs === undefined || t > s.lastTs) s.lastTs = t;
    if (t >= this.nextSweep) this.advance(t);
  }

  /** Ends incidents whose quiet period has passed by `now`, and drops closed ones past retention. */
  advance(now: number): void {
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const inc of [...this.open.values()]) {
      if (now > this.closeAt(inc)) this.close(inc, inc.last, "quiet");
    }
    const closed = this.s.closed;
    const keepFrom = now - this.opts.retentionMs;
    let drop = 0;
    while (drop < closed.length && (closed[drop]!.end ?? 0) < keepFrom) drop++;
    drop = Math.max(drop, closed.length - this.opts.maxClosed);
    if (drop > 0) { closed.splice(0, drop); this.s.dropped += drop; }
  }

  /** Ongoing incidents, worst then oldest first. */
  ongoing(): Incident[] {
    return [...this.open.values()].sort((a, b) => (a.severity === b.severity ? a.start - b.start : a.severity === "down" ? -1 : 1));
  }

  /** Every incident kept, ongoing and closed, by start time. */
  incidents(): Incident[] {
    return [...this.s.closed, ...this.open.values()].sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : 1));
  }

  providers(): ProviderSummary[] {
    return this.s.providers.map(({ runStart, lastFetchFailure: _, ...p }) => ({
      ...p,
      // A run of windows with more than one failure in it says the profile stayed unusable.
      profiles: p.profiles.map((pr) => {
        const run = runStart[pr.id];
        return run !== undefined && pr.lastSeen > run ? { ...pr, unusableSince: run } : { ...pr };
      }),
    }));
  }

  /** First and last event time seen, heartbeats counted, incidents dropped by the limits. */
  coverage(): { firstTs?: number; lastTs?: number; heartbeats: number; lastHeartbeat?: number; dropped: number } {
    const { firstTs, lastTs, heartbeats, lastHeartbeat, dropped } = this.s;
    return { firstTs, lastTs, heartbeats, lastHeartbeat, dropped };
  }

  verdict(now: number): Verdict {
    return verdictOf({ ongoing: this.ongoing(), closed: this.s.closed, ...this.coverage() }, now, this.opts.gapMs);
  }

  private closeAt(inc: Incident): number {
    let at = inc.last + QUIET_MS[inc.kind];
    // A provider's trouble lasts while one of its profiles is still in the window it opened.
    if (PROVIDER_KINDS.includes(inc.kind) && inc.until !== undefined) at = Math.max(at, Math.min(inc.until, inc.last + DAY));
    return at;
  }

  private touch(kind: IncidentKind, subject: string, t: number, detail?: string, counted = true): Incident {
    const key = detail === undefined ? `${kind}:${subject}` : `${kind}:${subject}:${detail}`;
    let inc = this.open.get(key) ?? this.reopen(key, kind, t);
    if (inc === undefined) {
      inc = { key, kind, severity: SEVERITY[kind] ?? "degraded", subject, start: t, last: t, count: 0, reasons: {} };
      if (detail !== undefined) inc.detail = detail;
      // Past the cap the signal still updates a scratch incident, which is not kept.
      if (this.open.size < MAX_OPEN) this.open.set(key, inc);
      else this.s.dropped++;
    }
    // A line about an attempt already counted: the incident's count and times are that attempt's.
    if (!counted) return inc;
    inc.count++;
    if (t > inc.last) inc.last = t;
    if (t < inc.start) inc.start = t;
    return inc;
  }

  /**
   * Trouble that comes back soon continues the incident it closed (reopenWithin), except
   * every-model-failing: a success really ended it.
   */
  private reopen(key: string, kind: IncidentKind, t: number): Incident | undefined {
    if (kind === "all_models_failed" || kind === "gap" || this.open.size >= MAX_OPEN) return undefined;
    const closed = this.s.closed;
    for (let i = closed.length - 1; i >= Math.max(0, closed.length - 20); i--) {
      const inc = closed[i]!;
      const within = inc.endedBy === "success" ? QUIET_MS[kind] : reopenWithin(kind);
      if (inc.key !== key || t - (inc.end ?? inc.last) > within || t < inc.start) continue;
      closed.splice(i, 1);
      delete inc.end;
      delete inc.endedBy;
      this.open.set(key, inc);
      return inc;
    }
    return undefined;
  }

  private close(inc: Incident, t: number, by: "success" | "quiet" | "cleared"): void {
    if (this.open.get(inc.key) !== inc) return;
    this.open.delete(inc.key);
    inc.end = Math.max(t, inc.last);
    inc.endedBy = by;
    this.insertClosed(inc);
  }

  private addGap(from: number, to: number): void {
    this.insertClosed({ key: "gap:gateway", kind: "gap", severity: "down", subject: "gateway", start: from, last: to, end: to, endedBy: "cleared", count: 1, reasons: {}, maxMs: to - from });
  }

  /** Keeps `closed` ordered by end, so retention drops from the front. */
  private insertClosed(inc: Incident): void {
    const closed = this.s.closed;
    let i = closed.length;
    while (i > 0 && (closed[i - 1]!.end ?? 0) > (inc.end ?? 0)) i--;
    closed.splice(i, 0, inc);
  }
}
