/**
 * Counting an event once when two sources carry it (docs/events.md, "Counting once": the JSONL wins).
 *
 * - A gateway's text echoes (origin "echo") and log-derived model.failover are dropped where its
 *   diagnostic JSONL covers their time (jsonl-coverage.ts: around the JSONL lines actually read),
 *   because the JSONL carries the same events with full fidelity; elsewhere they count. Feed
 *   every JSONL event to noteJsonlEvent(). While following (`run`), a profile with a JSONL file
 *   (noteJsonlSource, from the directory scan before any line) holds an uncovered log event
 *   until its JSONL has been read past it or HOLD_MS have passed (hold(), noteWallClock(),
 *   drain(); held-events.ts). Caveat: a gateway older than 2026.6.11
 *   emits no JSONL model.failover, so where a JSONL covers its time its failovers are not counted
 *   (docs/events.md).
 * - `All models failed` (via summary) within windowMs after a chain_end of the same profile is
 *   the same failure: one summary consumes one pending chain_end.
 * - A failed turn seen as two of the gateway's `res ✗` (errorCode set), the reply runner's
 *   `failed before reply` and the verbose `→ event agent … phase=error`, within TURN_WINDOW_MS of
 *   each other, same profile, in either order, is one turn. Real 7.35/9.6 RPC turns write only `res ✗`; this guards a version
 *   that writes both. Lines that name the run (`runId`: res ✗ on 7.35/9.6, the ws event, the
 *   chain end `fallbackStepFinalOutcome: chain_exhausted`) are one turn per run id, however many
 *   say it (a debug 9.6 log has all three). Not checkpointed: a restart inside those 5 s can count
 *   such a turn twice.
 *
 * State is one set of profiles and one short list per profile, so memory stays bounded.
 */
import type { OpenClawEvent } from "./types.ts";
import { BEFORE_MS, JsonlCoverage, type CoverageState } from "./jsonl-coverage.ts";
import { HeldEvents, type Held } from "./held-events.ts";

export interface DeduperOptions {
  /** How long after a chain_end a summary still counts as the same failure. Default 60 s. */
  windowMs?: number;
}

export interface DeduperState { chainEnds: Record<string, number[]>; jsonl?: CoverageState; held?: Held[] }

/** How long a held log event waits at most (wall clock): the plugin writes every 250 ms. */
export const HOLD_MS = 5_000;

/** At most this many unmatched chain_ends are remembered per profile. */
const MAX_PENDING = 64;
/** The two lines of one failed turn are written by one process milliseconds apart. */
const TURN_WINDOW_MS = 5_000;

export class Deduper {
  private readonly windowMs: number;
  private readonly jsonlProfiles = new Set<string>();
  private readonly coverage = new JsonlCoverage();
  private readonly held = new HeldEvents();
  private readonly released: Held[] = [];
  private readonly chainEnds = new Map<string, number[]>();
  private readonly turns = new Map<string, { ts: number; via: string; runId?: string }[]>();
  /** Run ids of failed turns counted lately (at most MAX_PENDING). */
  private readonly turnRuns: string[] = [];
  private readonly counts = { accepted: 0, dropped_echo: 0, dropped_log_failover: 0, dropped_summary: 0, dropped_turn: 0 };

  constructor(opts: DeduperOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** The profile has a JSONL file (it may be empty or old): in `run` its log twins may wait for it. */
  noteJsonlSource(profile: string): void {
    this.jsonlProfiles.add(profile);
  }

  /** A JSONL event was read: its time is covered; held log events it settles become ready. */
  noteJsonlEvent(profile: string, ts: number): void {
    this.coverage.note(profile, ts);
    if (this.held.count > 0) this.held.release(profile, (h) => this.settled(h.ev), this.released);
  }

  /**
   * `run`, after each poll: events held for HOLD_MS of wall clock are decided (at once when the
   * clock has stepped back past their reading: they must not wait for it to catch up).
   */
  noteWallClock(now: number): void {
    if (this.held.count > 0) this.held.releaseAll((h) => this.settled(h.ev) || now >= h.readAt + HOLD_MS || now < h.readAt, this.released);
  }

  /**
   * True when `ev` was held: a log twin of a JSONL event that no JSONL line read so far covers,
   * of a profile with a JSONL file not yet read past its time.
   */
  hold(ev: OpenClawEvent, now: number): boolean {
    if (!isLogTwin(ev) || !this.jsonlProfiles.has(ev.profile) || this.settled(ev)) return false;
    const over = this.held.push({ ev, readAt: now });
    if (over !== undefined) this.released.push(over);
    return true;
  }

  /** Held events now ready, oldest first; give each to accept(). */
  drain(): OpenClawEvent[] {
    if (this.released.length === 0) return [];
    return this.released.splice(0).map((h) => h.ev);
  }

  /** True when the event should be counted; false when another source already counts it. */
  accept(ev: OpenClawEvent): boolean {
    if (isLogTwin(ev) && this.coverage.covers(ev.profile, ev.ts)) {
      return this.drop(ev.origin === "echo" ? "dropped_echo" : "dropped_log_failover");
    }
    if (ev.type === "model.all_failed") {
      if (ev.via === "chain_end") this.rememberChainEnd(ev.profile, ev.ts);
      else if (ev.via === "summary" && this.consumeChainEnd(ev.profile, ev.ts)) return this.drop("dropped_summary");
    }
    if (ev.type === "agent.turn.failed" && this.sameTurn(ev.profile, ev.ts, ev.via ?? (ev.errorCode !== "none" ? "rpc" : "reply_runner"), ev.runId)) return this.drop("dropped_turn");
    this.counts.accepted++;
    return true;
  }

  /**
   * True when a failed turn said by another kind of line (res ✗, reply runner, ws lifecycle
   * event) is pending within the window; else remembers this one.
   */
  private sameTurn(profile: string, ts: number, via: string, runId?: string): boolean {
    let list = (this.turns.get(profile) ?? []).filter((t) => Math.abs(ts - t.ts) <= TURN_WINDOW_MS);
    if (runId !== undefined) {
      if (this.turnRuns.includes(runId)) {
        this.turns.set(profile, list.filter((t) => t.runId !== runId));
        return true;
      }
      this.turnRuns.push(runId);
      if (this.turnRuns.length > MAX_PENDING) this.turnRuns.shift();
    }
    // Two run ids are two turns; a line without one pairs by time and kind of line.
    const i = list.findIndex((t) => t.via !== via && (t.runId === undefined || runId === undefined));
    if (i !== -1) list.splice(i, 1);
    else {
      list.push({ ts, via, runId });
      if (list.length > MAX_PENDING) list = list.slice(-MAX_PENDING);
    }
    this.turns.set(profile, list);
    return i !== -1;
  }

  /** Decidable now: covered, or the profile's JSONL has been read past the event's time. */
  private settled(ev: OpenClawEvent): boolean {
    return this.coverage.covers(ev.profile, ev.ts) || this.coverage.end(ev.profile) >= ev.ts + BEFORE_MS;
  }

  /**
   * For the checkpoint: the pending chain_ends (a summary read after a restart must still find
   * the chain_end counted before it), the JSONL's coverage and the held log events, so a restart
   * decides as an uninterrupted run would (JSONL files are re-learnt from the directory).
   */
  snapshot(): DeduperState {
    const chainEnds = Object.fromEntries([...this.chainEnds].filter(([, l]) => l.length > 0).map(([p, l]) => [p, [...l]]));
    return { chainEnds, jsonl: this.coverage.snapshot(), held: [...this.released, ...this.held.snapshot()] };
  }

  restore(state: DeduperState): void {
    this.coverage.restore(state.jsonl);
    this.released.length = 0;
    this.held.restore(state.held);
    this.chainEnds.clear();
    for (const [profile, list] of Object.entries(state.chainEnds)) {
      if (Array.isArray(list)) this.chainEnds.set(profile, list.filter((t) => typeof t === "number").slice(-MAX_PENDING));
    }
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  private drop(key: "dropped_echo" | "dropped_log_failover" | "dropped_summary" | "dropped_turn"): false {
    this.counts[key]++;
    return false;
  }

  private rememberChainEnd(profile: string, ts: number): void {
    const list = this.chainEnds.get(profile) ?? [];
    list.push(ts);
    if (list.length > MAX_PENDING) list.shift();
    this.chainEnds.set(profile, list);
  }

  private consumeChainEnd(profile: string, ts: number): boolean {
    const list = this.chainEnds.get(profile);
    if (list === undefined) return false;
    // Forget chain_ends too old to match; the first one in the window is consumed.
    while (list.length > 0 && (list[0] ?? 0) < ts - this.windowMs) list.shift();
    const i = list.findIndex((t) => t <= ts);
    if (i === -1) return false;
    list.splice(i, 1);
    return true;
  }
}

/** A log event the JSONL also carries: a text echo, or a failover derived from the log. */
function isLogTwin(ev: OpenClawEvent): boolean {
  return ev.origin === "echo" || (ev.origin === "log" && ev.type === "model.failover");
}
