/**
 * The sidecar's own trouble, told like the gateway's: not incidents of the model (nothing in the
 * gateway's logs says them), so each is added here as an incident while it lasts and as ended
 * once it cleared. Two conditions, each told after it lasted a minute (a directory that appears a
 * moment after start, one failed write, is no news):
 * - blind: the log directory or every log file unreadable, as /healthz says: nothing else can be
 *   told until it is fixed (critical);
 * - state not saved: the checkpoint cannot be written (a full disk, a read-only volume): the
 *   counts go on, but a restart would read again what was read since the last save and the
 *   notifier could repeat itself (warning).
 */
import type { Incident } from "../incidents/index.ts";

/**
 * What the notifier reads incidents from (the live builder, or it wrapped). Declared here, not in
 * notifier.ts, because note.ts imports this file and notifier.ts imports note.ts.
 */
export interface IncidentSource { ongoing(): Incident[]; incidents(): Incident[] }
/** How long a condition must last before it is told. */
export const SELF_AFTER_MS = 60_000;

export const SIDECAR_BLIND = "sidecar_blind" as Incident["kind"];
export const SIDECAR_STATE = "sidecar_state" as Incident["kind"];
export const SELF_KINDS: ReadonlySet<string> = new Set([SIDECAR_BLIND, SIDECAR_STATE]);

/** Head and consequence of each, for note.ts. */
export const SELF_WORDS: Record<string, { head: string; then: string }> = {
  [SIDECAR_BLIND]: { head: "sidecar blind: it cannot read the gateway's logs", then: "nothing else can be told until this is fixed" },
  [SIDECAR_STATE]: { head: "sidecar cannot save its state", then: "counting goes on; a restart now would read again what came since the last save" },
};

/** One condition as the caller sees it after a poll: its reasons, none when it is fine. */
export interface Condition { kind: Incident["kind"]; reasons: string[] }

interface Track { since?: number; on?: Incident; ended?: Incident }

export class SelfTrouble {
  private readonly tracks = new Map<string, Track>();
  private readonly wall: () => number;

  constructor(wall: () => number) {
    this.wall = wall;
  }

  /** The source with each lasting condition as an ongoing incident, and each cleared one as ended. */
  wrap(source: IncidentSource, conditions: readonly Condition[]): IncidentSource {
    const now = this.wall();
    const on: Incident[] = [], ended: Incident[] = [];
    for (const c of conditions) {
      const t = this.tracks.get(c.kind) ?? {};
      this.tracks.set(c.kind, t);
      if (c.reasons.length === 0) t.since = undefined;
      else t.since ??= now;
      if (t.since !== undefined && now - t.since >= SELF_AFTER_MS) {
        t.on ??= { key: `${c.kind}:sidecar`, kind: c.kind, severity: c.kind === SIDECAR_BLIND ? "down" : "degraded", subject: "sidecar", start: t.since, last: now, count: 1, reasons: {} };
        t.on.last = now;
        t.on.detail = c.reasons.join("; ");
      } else if (t.on !== undefined && t.since === undefined) {
        t.ended = { ...t.on, end: now, endedBy: "cleared" };
        t.on = undefined;
      }
      if (t.on) on.push(t.on);
      if (t.ended) ended.push(t.ended);
    }
    if (on.length === 0 && ended.length === 0) return source;
    return {
      ongoing: () => [...on, ...source.ongoing()],
      incidents: () => [...source.incidents(), ...ended],
    };
  }
}
