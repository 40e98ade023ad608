/**
 * Counting an event once when two sources carry it (docs/events.md, "Counting once": the JSONL wins).
 *
 * - A gateway (profile) with a diagnostic JSONL source: its text echoes (origin "echo") and its
 *   log-derived model.failover are dropped, because the JSONL carries the same events with full
 *   fidelity. Call noteJsonlSource(profile) when the tailer first sees that profile's JSONL,
 *   before feeding its log lines. Caveat: a gateway older than 2026.6.11 emits no JSONL
 *   model.failover, so with a JSONL its failovers are not counted (docs/events.md).
 * - `All models failed` (via summary) within windowMs after a chain_end of the same profile is
 *   the same failure: one summary consumes one pending chain_end.
 * - A failed turn seen as two of the gateway's `res ✗` (errorCode set), the reply runner's
 *   `failed before reply` and the verbose `→ event agent … phase=error`, within TURN_WINDOW_MS of
 *   each other, same profile, in either order, is one turn. Real 7.35/9.6 RPC turns write only `res ✗`; this guards a version
 *   that writes both. Not checkpointed: a restart inside those 5 s can count such a turn twice.
 *
 * State is one set of profiles and one short list per profile, so memory stays bounded.
 */
import type { OpenClawEvent } from "./types.ts";

export interface DeduperOptions {
  /** How long after a chain_end a summary still counts as the same failure. Default 60 s. */
  windowMs?: number;
}

export interface DeduperState { chainEnds: Record<string, number[]> }

/** At most this many unmatched chain_ends are remembered per profile. */
const MAX_PENDING = 64;
/** The two lines of one failed turn are written by one process milliseconds apart. */
const TURN_WINDOW_MS = 5_000;

export class Deduper {
  private readonly windowMs: number;
  private readonly jsonlProfiles = new Set<string>();
  private readonly chainEnds = new Map<string, number[]>();
  private readonly turns = new Map<string, { ts: number; via: string }[]>();
  private readonly counts = { accepted: 0, dropped_echo: 0, dropped_log_failover: 0, dropped_summary: 0, dropped_turn: 0 };

  constructor(opts: DeduperOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000;
  }

  noteJsonlSource(profile: string): void {
    this.jsonlProfiles.add(profile);
  }

  /** True when the event should be counted; false when another source already counts it. */
  accept(ev: OpenClawEvent): boolean {
    if (this.jsonlProfiles.has(ev.profile)) {
      if (ev.origin === "echo") return this.drop("dropped_echo");
      if (ev.origin === "log" && ev.type === "model.failover") return this.drop("dropped_log_failover");
    }
    if (ev.type === "model.all_failed") {
      if (ev.via === "chain_end") this.rememberChainEnd(ev.profile, ev.ts);
      else if (ev.via === "summary" && this.consumeChainEnd(ev.profile, ev.ts)) return this.drop("dropped_summary");
    }
    if (ev.type === "agent.turn.failed" && this.sameTurn(ev.profile, ev.ts, ev.via ?? (ev.errorCode !== "none" ? "rpc" : "reply_runner"))) return this.drop("dropped_turn");
    this.counts.accepted++;
    return true;
  }

  /**
   * True when a failed turn said by another kind of line (res ✗, reply runner, ws lifecycle
   * event) is pending within the window; else remembers this one.
   */
  private sameTurn(profile: string, ts: number, via: string): boolean {
    const list = (this.turns.get(profile) ?? []).filter((t) => Math.abs(ts - t.ts) <= TURN_WINDOW_MS);
    const i = list.findIndex((t) => t.via !== via);
    if (i !== -1) list.splice(i, 1);
    else {
      list.push({ ts, via });
      if (list.length > MAX_PENDING) list.shift();
    }
    this.turns.set(profile, list);
    return i !== -1;
  }

  /**
   * The pending chain_ends, for the checkpoint: a summary read after a restart must still find
   * the chain_end counted before it (JSONL profiles are re-learnt from the directory).
   */
  snapshot(): DeduperState {
    return { chainEnds: Object.fromEntries([...this.chainEnds].filter(([, l]) => l.length > 0).map(([p, l]) => [p, [...l]])) };
  }

  restore(state: DeduperState): void {
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
