/**
 * Counting each failed attempt once. One failed request shows up as several lines: the
 * `[model-fetch]` response (6.11+), the profile's failure-state line, and the decisions that
 * follow (rotate_profile, candidate_failed, surface_error). Failure lines count (fetch first,
 * then failure-state lines no fetch accounts for); decisions count only in logs without fetch
 * lines and only when no failure line of their run is about that provider.
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
   * A profile's failure-state line: the attempt it is about if one was counted already (its
   * fetch line, or a decision of the same run that came first), else undefined (a new one).
   */
  failureLine(r: LineRef): Attempt | undefined {
    const a = this.find(r, (x) => !x.failureLine && profileFits(x, r) && (sameRun(x, r) || (x.fetch && !otherRun(x, r) && r.t - x.t <= FETCH_LINK_MS)));
    if (a === undefined) { this.push({ ...r, fetch: false, failureLine: true }); return undefined; }
    a.failureLine = true;
    a.run ??= r.run; a.trace ??= r.trace; a.profile ??= r.profile;
    return a;
  }

  /**
   * A failover/rotation/surface decision: true when it is about an attempt already counted.
   * `fetchLines`: the log has `[model-fetch]` lines, which count every attempt themselves (a
   * decision without one is a skip: no request was made).
   */
  decision(r: LineRef, fetchLines: boolean): boolean {
    if (fetchLines) return true;
    const byTime = r.run === undefined && r.trace === undefined;
    const a = this.find(r, (x) => profileFits(x, r) && (byTime ? r.t - x.t <= FETCH_LINK_MS : sameRun(x, r)));
    if (a !== undefined) { a.profile ??= r.profile; return true; }
    this.push({ ...r, fetch: false, failureLine: false });
    return false;
  }

  /** Most recent first: later lines are about the latest attempt. */
  private find(r: LineRef, ok: (a: Attempt) => boolean): Attempt | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const a = this.kept[i]!;
      if (r.t - a.t > KEEP_MS) break;
      if (a.provider === r.provider && a.kind === r.kind && a.t <= r.t + 1000 && ok(a)) return a;
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
