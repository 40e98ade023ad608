/**
 * What the trackers share: the builder's state and open incidents, the transient ledgers of
 * attempts and runs (ids held briefly, never stored), and the per-provider and per-profile
 * summaries the page's tables and the report's summary show.
 */
import type { OpenClawEvent } from "../events/types.ts";
import type { AttemptLedger, LineRef } from "./attempts.ts";
import type { RunLedger } from "./runs.ts";
import { MAX_PROFILES, MAX_PROVIDERS, type IncidentState, type ProviderState } from "./state.ts";
import type { Incident, IncidentKind } from "./types.ts";
import { bump, causeOfReason, word } from "./words.ts";

export interface TrackContext {
  state: IncidentState;
  open: Map<string, Incident>;
  /** Ids held briefly to count each failed attempt once (never stored in incidents). */
  attempts: AttemptLedger;
  /** Run ids held briefly to tell which provider answered a turn (runs.ts). */
  runs: RunLedger;
  /**
   * The incident of `kind` for `subject`; `counted` false: a line about an attempt counted
   * already (or a skip), which neither adds to the count nor moves the times of an existing one.
   */
  touch(kind: IncidentKind, subject: string, t: number, detail?: string, counted?: boolean): Incident;
  close(inc: Incident, t: number, by: "success" | "quiet" | "cleared"): void;
}

export function providerState(state: IncidentState, raw: string | undefined): ProviderState {
  let name = word(raw);
  let p = state.providers.find((x) => x.provider === name);
  if (p) return p;
  if (state.providers.length >= MAX_PROVIDERS - 1) {
    name = "other";
    p = state.providers.find((x) => x.provider === name);
    if (p) return p;
  }
  p = { provider: name, ok: 0, failed: 0, turns: 0, profiles: [], runStart: {} };
  state.providers.push(p);
  return p;
}

export function profileOf(p: ProviderState, id: string, t: number) {
  let prof = p.profiles.find((x) => x.id === id);
  if (prof === undefined && p.profiles.length < MAX_PROFILES) {
    prof = { id, firstSeen: t, lastSeen: t, failures: 0, rotations: 0, reasons: {} };
    p.profiles.push(prof);
  }
  if (prof) { prof.firstSeen = Math.min(prof.firstSeen, t); prof.lastSeen = Math.max(prof.lastSeen, t); }
  return prof;
}

/** A failure signal for `provider` in the incident of `kind`; `counted`: a new failed attempt. */
export function signal(ctx: TrackContext, kind: IncidentKind, provider: string, t: number, reason: string, counted = true): Incident {
  const inc = ctx.touch(kind, provider, t, undefined, counted);
  if (counted) bump(inc.reasons, reason);
  // Failures with no success between them keep "every model failing" going.
  const all = ctx.open.get("all_models_failed:gateway");
  if (all !== undefined && t > all.last) all.last = t;
  return inc;
}

/**
 * Where a decision line (failover, rotation, surface) stands: the attempt it is about (its kind,
 * not counted again), or a new attempt in a log without failure lines for it.
 */
export function decision(ctx: TrackContext, reason: string, provider: string, ev: OpenClawEvent & { runId?: string }, profile?: string): { counted: boolean; kind: IncidentKind } {
  const ref: LineRef = { provider, kind: causeOfReason(reason), t: ev.ts, run: ev.runId, trace: ev.traceId, profile };
  return ctx.attempts.decision(ref, ctx.state.fetchLines === true);
}

