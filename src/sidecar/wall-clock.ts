/**
 * The wall clock as `run` reads it, watched for backward steps (NTP stepping a clock that ran
 * ahead, a VM restored): issue 20, item 3. The event clock behind the "active" gauges and the
 * page's clock only move forward, so after the host clock stepped back one hour new cooldowns
 * and stalled sessions were dated behind them and did not show for that hour, the page ran an
 * hour ahead, and a two-hour step rejected lines written just before it as `future_timestamp`.
 *
 * A step is seen by comparing the wall clock with the monotonic clock (performance.now, which
 * no one can set) between two polls, or, at start, with the checkpoint's `savedAt` (a time this
 * host's clock has already shown). Lines written before the step carry the old timeline's
 * times, at most the latest wall time seen (`highWater`), and arrive until the new timeline
 * catches up with it. So, while the wall clock is behind highWater:
 *  - the parser's future guard counts from highWater, not from the stepped-back clock (up to
 *    MAX_STEP_MS back; a clock that was days ahead is not believed);
 *  - the event clock and the page's clock may not move past the wall clock by more than
 *    STEP_SLACK_MS: an old-timeline line is counted but cannot put them ahead again.
 * Both are re-based onto the new timeline once per step (followWallClock).
 */
import { FUTURE_TOLERANCE_MS } from "../events/time-guard.ts";
import type { LiveIncidents } from "../serving/live-incidents.ts";
import { advanceClock, rebaseClock, type GaugeStore } from "../telemetry/storage/active-state.ts";

/** Smaller differences are slewing and poll jitter, not a step. */
export const STEP_SLACK_MS = 60_000;
/** A clock further ahead than this was wrong, not a timeline lines can still come from. */
export const MAX_STEP_MS = 24 * 3_600_000;

export class WallClock {
  private readonly wall: () => number;
  private readonly mono: () => number;
  private lastWall: number;
  private lastMono: number;
  private highWater: number;
  private pendingStepMs = 0;

  constructor(wall: () => number = Date.now, mono: () => number = () => performance.now()) {
    this.wall = wall;
    this.mono = mono;
    this.lastWall = wall();
    this.lastMono = mono();
    this.highWater = this.lastWall;
  }

  /** The wall clock now, no checks (cheap: the parser calls the guard per event line). */
  now = (): number => this.wall();

  /**
   * Once per poll: reads both clocks; `stepMs` > 0 when the wall clock went back that far since
   * the previous tick (or behind a time noted by noteSeen).
   */
  tick(): { now: number; stepMs: number } {
    const now = this.wall();
    const mono = this.mono();
    const expected = this.lastWall + (mono - this.lastMono);
    if (now < expected - STEP_SLACK_MS) {
      this.pendingStepMs += expected - now;
      this.highWater = Math.max(this.highWater, expected);
    }
    this.highWater = Math.max(this.highWater, now);
    this.lastWall = now;
    this.lastMono = mono;
    const stepMs = this.pendingStepMs;
    this.pendingStepMs = 0;
    return { now, stepMs };
  }

  /** A wall time this host has already shown (the checkpoint's savedAt): now far behind it is a step back while down. */
  noteSeen(t: number): void {
    const now = this.wall();
    if (!Number.isFinite(t) || t < now + STEP_SLACK_MS) return;
    this.pendingStepMs += t - now;
    this.highWater = Math.max(this.highWater, t);
  }

  /** How far the wall clock is behind the latest time it showed (0 when it never stepped back). */
  behindMs(): number {
    const behind = this.highWater - this.wall();
    return behind > STEP_SLACK_MS && behind <= MAX_STEP_MS ? behind : 0;
  }

  /** "Now" for the parser's future guard: lines from before a step back are not from the future. */
  guardNow = (): number => this.wall() + this.behindMs();

  /** Latest time the event clock and the page's clock may be moved to. */
  clockLimit = (): number => this.wall() + (this.behindMs() > 0 ? STEP_SLACK_MS : FUTURE_TOLERANCE_MS);
}

/**
 * Once per poll, in place of advanceClock(store, Date.now()): a step back re-bases the event
 * clock and the page's clock onto the new timeline (and is told once), then the event clock
 * catches up with the wall clock as before.
 */
export function followWallClock(clock: WallClock, store: GaugeStore, live: LiveIncidents, warn: (msg: string) => void): void {
  const { now, stepMs } = clock.tick();
  if (stepMs > 0) {
    rebaseClock(store, now);
    live.rebase(stepMs);
    warn(`the wall clock stepped back ${Math.round(stepMs / 1000)} s: the event clock and the page's clock follow it; `
      + `lines dated up to ${new Date(now + clock.behindMs()).toISOString()} (written before the step) are still counted`);
  }
  advanceClock(store, now);
}
