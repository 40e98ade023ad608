/**
 * Auth profiles in provider trouble: the failure-state line (the window a failure put a
 * profile in, and until when) and the rotation decision (the gateway moved to another key).
 * Both belong to the attempt they follow when one was counted (attempts.ts), and take its kind.
 */
import type { OpenClawEvent } from "../events/types.ts";
import { decision, profileOf, providerState, signal, type TrackContext } from "./provider-context.ts";
import { MAX_PROFILES } from "./state.ts";
import type { Incident } from "./types.ts";
import { bump, causeOfReason, profileName, word } from "./words.ts";

const MAX_WINDOW_LENGTHS = 8;

function noteIncidentProfile(inc: Incident, id: string, window?: "cooldown" | "disabled", until?: number, failed = true): void {
  inc.profiles ??= [];
  let w = inc.profiles.find((x) => x.id === id);
  if (w === undefined) {
    if (inc.profiles.length >= MAX_PROFILES) return;
    w = { id, failures: 0 };
    inc.profiles.push(w);
  }
  if (failed) w.failures++;
  if (window !== undefined) { w.window = window; w.until = until; }
}

/**
 * A profile that failed auth (or billing) and now fails for another reason was accepted by the
 * provider again: once every profile of the auth/billing incident has, that incident is over.
 */
function clearAuth(ctx: TrackContext, failed: Incident, id: string, t: number): void {
  for (const kind of ["auth", "billing"] as const) {
    if (failed.kind === kind) continue;
    const inc = ctx.open.get(`${kind}:${failed.subject}`);
    const w = inc?.profiles?.find((p) => p.id === id);
    if (inc === undefined || w === undefined || t < inc.last) continue;
    w.cleared = true;
    if (inc.profiles!.every((p) => p.cleared)) ctx.close(inc, t, "cleared");
  }
}

/** Notes a window the failure opened on the incident (how many, how long). */
function noteWindow(inc: Incident, t: number, until: number | undefined, reused: boolean | undefined): void {
  if (until === undefined || until <= t) return;
  inc.until = Math.max(inc.until ?? until, until);
  if (reused === true) return;
  inc.windowsOpened = (inc.windowsOpened ?? 0) + 1;
  const len = Math.round((until - t) / 1000) * 1000;
  inc.windowLengthsMs ??= [];
  if (!inc.windowLengthsMs.includes(len) && inc.windowLengthsMs.length < MAX_WINDOW_LENGTHS) inc.windowLengthsMs.push(len);
}

export function onProfileFailure(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "auth.profile.failure" }>): void {
  const t = ev.ts;
  const p = providerState(ctx.state, ev.provider);
  const until = ev.windowType === "disabled" ? ev.disabledUntil ?? ev.cooldownUntil : ev.cooldownUntil ?? ev.disabledUntil;
  const id = profileName(ev.profileId);
  ctx.runs.candidate(ev.runId, t, ev.provider);
  const same = ctx.attempts.failureLine({ provider: p.provider, kind: causeOfReason(ev.reason), t, run: ev.runId, trace: ev.traceId, profile: id });
  // The attempt's status says what the reason may not (a 402 OpenClaw calls rate_limit).
  const kind = same?.kind ?? causeOfReason(ev.reason);
  const reason = kind === causeOfReason(ev.reason) ? word(ev.reason) : kind;
  const inc = signal(ctx, kind, p.provider, t, reason, same === undefined);
  if (p.lastFailure === undefined || t >= p.lastFailure) {
    p.lastFailure = t;
    // The HTTP status of its attempt says more (`http_429`) than the reason word.
    p.lastFailureReason = same?.label ?? reason;
  }
  noteWindow(inc, t, until, ev.windowReused);
  if (id === undefined) return;
  noteIncidentProfile(inc, id, ev.windowType, until);
  clearAuth(ctx, inc, id, t);
  const prof = profileOf(p, id, t);
  if (prof === undefined) return;
  const inWindow = prof.until !== undefined && t <= prof.until;
  if (!inWindow || p.runStart[id] === undefined) p.runStart[id] = t;
  prof.failures++;
  bump(prof.reasons, reason, 1, 8);
  prof.window = ev.windowType;
  if (until !== undefined) prof.until = Math.max(until, inWindow ? prof.until ?? until : until);
}

export function onRotation(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "auth.profile.rotation" }>): void {
  const p = providerState(ctx.state, ev.provider);
  const id = profileName(ev.profileId);
  ctx.runs.candidate(ev.runId, ev.ts, ev.provider, ev.model);
  const d = decision(ctx, ev.reason, p.provider, ev, id);
  const inc = signal(ctx, d.kind, p.provider, ev.ts, word(ev.reason), d.counted);
  if (id === undefined) return;
  noteIncidentProfile(inc, id, undefined, undefined, false);
  const prof = profileOf(p, id, ev.ts);
  if (prof) prof.rotations++;
}
