/**
 * Counting each failed attempt once, under the kind its HTTP status says. One failed request
 * shows up as several lines: the `[model-fetch]` response (6.11+), the attempt's `embedded run
 * agent end` (model.call.error, every version; on 4.24 the only line with the status), the
 * profile's failure-state line, and the decisions that follow (rotate_profile, candidate_failed,
 * surface_error). Failure lines count (fetch first, then agent ends no fetch accounts for, then
 * failure-state lines neither accounts for); decisions count only in logs without fetch lines
 * and only when no failure line of their run is about that provider.
 *
 * A later line about a counted attempt takes the attempt's kind: OpenClaw calls a 402
 * `rate_limit` in its failure-state and decision lines, and the status (402: billing) is what
 * the operator must read.
 *
 * Run and trace ids are held here for matching only, in memory, for a few minutes and at most
 * MAX_KEPT attempts: they never reach an incident, the checkpoint, the page or `report`.
 */
import type { IncidentKind } from "./types.ts";

/** A failure-state line this soon after a failed fetch (no run or trace to tell) is about it. */
export const FETCH_LINK_MS = 10_000;
/** Lines about one attempt come within this long of each other (a 30 s timeout included). */
const KEEP_MS = 5 * 60_000;
const MAX_KEPT = 256;

export interface Attempt {
  provider: string;
  kind: IncidentKind;
  t: number;
  run?: string;
  trace?: string;
  profile?: string;
  fetch: boolean;
  failureLine: boolean;
  /** An agent-end line was linked to it (or is it). */
  callError?: boolean;
  /** The fetch's status label (`http_429`), for the provider's last failure reason. */
  label?: string;
}

/** What a line says about which attempt it belongs to. */
export interface LineRef { provider: string; kind: IncidentKind; t: number; run?: string; trace?: string; profile?: string }

const sameRun = (a: Attempt, r: LineRef): boolean =>
  (a.trace !== undefined && a.trace === r.trace) || (a.run !== undefined && a.run === r.run);
/** Two different ids of the same sort: two different runs. */
const otherRun = (a: Attempt, r: LineRef): boolean =>
  (a.trace !== undefined && r.trace !== undefined && a.trace !== r.trace) || (a.run !== undefined && r.run !== undefined && a.run !== r.run);
const profileFits = (a: Attempt, r: LineRef): boolean => a.profile === undefined || r.profile === undefined || a.profile === r.profile;

export class AttemptLedger {
  private kept: Attempt[] = [];

  /** A failed `[model-fetch]` line: always one attempt. */
  fetch(r: LineRef, label: string): void {
    this.push({ ...r, fetch: true, failureLine: false, label });
  }

  /**
   * An attempt's agent-end line (model.call.error): the fetch it follows when the log has them
   * (same trace or run, or within FETCH_LINK_MS), else undefined: a new attempt, counted.
   */
  callError(r: LineRef, label: string): Attempt | undefined {
    const a = this.find(r, (x) => x.fetch && !x.callError && (sameRun(x, r) || (!otherRun(x, r) && r.t - x.t <= FETCH_LINK_MS)));
    if (a === undefined) { this.push({ ...r, fetch: false, failureLine: false, callError: true, label }); return undefined; }
    a.callError = true;
    a.run ??= r.run; a.trace ??= r.trace;
    return a;
  }

  /**
   * A profile's failure-state line: the attempt it is about if one was counted already (its
   * fetch or agent-end line, or a decision of the same run that came first), else undefined (a
   * new one).
   */
  failureLine(r: LineRef): Attempt | undefined {
    const a = this.find(r, (x) => !x.failureLine && profileFits(x, r) && (sameRun(x, r) || (x.fetch && !otherRun(x, r) && r.t - x.t <= FETCH_LINK_MS)));
    if (a === undefined) { this.push({ ...r, fetch: false, failureLine: true }); return undefined; }
    a.failureLine = true;
    a.run ??= r.run; a.trace ??= r.trace; a.profile ??= r.profile;
    return a;
  }

  /**
   * A failover/rotation/surface decision: the attempt it is about (counted already), or
   * undefined when it counts as a new one. `fetchLines`: the log has `[model-fetch]` lines,
   * which count every attempt themselves (a decision without one is a skip: no request was
   * made), so then it is never new: `counted` false, with the kind of the attempt it follows.
   */
  decision(r: LineRef, fetchLines: boolean): { counted: boolean; kind: IncidentKind } {
    const byTime = r.run === undefined && r.trace === undefined;
    const a = this.find(r, (x) => profileFits(x, r) && (byTime ? r.t - x.t <= FETCH_LINK_MS : sameRun(x, r)));
    if (a !== undefined) { a.profile ??= r.profile; return { counted: false, kind: a.kind }; }
    if (fetchLines) return { counted: false, kind: r.kind };
    this.push({ ...r, fetch: false, failureLine: false });
    return { counted: true, kind: r.kind };
  }

  /**
   * Most recent first: later lines are about the latest attempt. Of the same kind, or a billing
   * attempt (402) that OpenClaw's later lines call rate_limit, the one mismatch it makes.
   */
  private find(r: LineRef, ok: (a: Attempt) => boolean): Attempt | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const a = this.kept[i]!;
      if (r.t - a.t > KEEP_MS) break;
      const kindFits = a.kind === r.kind || (a.kind === "billing" && r.kind === "rate_limit");
      if (a.provider === r.provider && kindFits && a.t <= r.t + 1000 && ok(a)) return a;
    }
    return undefined;
  }

  private push(a: Attempt): void {
    const k = this.kept;
    k.push(a);
    let drop = 0;
    while (drop < k.length && (k.length - drop > MAX_KEPT || a.t - k[drop]!.t > KEEP_MS)) drop++;
    if (drop > 0) k.splice(0, drop);
  }
}
