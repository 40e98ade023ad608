/**
 * Provider trouble: rate-limit storms, auth (401/403) and billing (402) failures, other errors,
 * with the profiles involved, the windows they were put in, where the gateway fell back to and
 * how many turns went there; and every model failing at once. Also keeps the per-provider and
 * per-profile summaries the page's tables and the report's summary show.
 */
import type { OpenClawEvent } from "../events/types.ts";
import type { AttemptLedger, LineRef } from "./attempts.ts";
import { MAX_PROFILES, MAX_PROVIDERS, type IncidentState, type ProviderState } from "./state.ts";
import type { Incident, IncidentKind } from "./types.ts";
import { bump, causeOfReason, causeOfStatus, fetchLabel, profileName, word } from "./words.ts";

export const PROVIDER_KINDS: readonly IncidentKind[] = ["rate_limit", "auth", "billing", "provider_errors"];
/** A provider's failures within this long before "all models failed" are its reason there. */
const REASON_LOOKBACK_MS = 10 * 60_000;
const MAX_FALLBACKS = 4;
const MAX_WINDOW_LENGTHS = 8;
/** Distinct failure labels kept per provider for "all models failed" (`timeout/500/402`). */
const MAX_PROVIDER_LABELS = 4;

export interface TrackContext {
  state: IncidentState;
  open: Map<string, Incident>;
  /** Ids held briefly to count each failed attempt once (never stored in incidents). */
  attempts: AttemptLedger;
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

function profileOf(p: ProviderState, id: string, t: number) {
  let prof = p.profiles.find((x) => x.id === id);
  if (prof === undefined && p.profiles.length < MAX_PROFILES) {
    prof = { id, firstSeen: t, lastSeen: t, failures: 0, rotations: 0, reasons: {} };
    p.profiles.push(prof);
  }
  if (prof) { prof.firstSeen = Math.min(prof.firstSeen, t); prof.lastSeen = Math.max(prof.lastSeen, t); }
  return prof;
}

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

/** A failure signal for `provider` in the incident of `kind`; `counted`: a new failed attempt. */
function signal(ctx: TrackContext, kind: IncidentKind, provider: string, t: number, reason: string, counted = true): Incident {
  const inc = ctx.touch(kind, provider, t, undefined, counted);
  if (counted) bump(inc.reasons, reason);
  // Failures with no success between them keep "every model failing" going.
  const all = ctx.open.get("all_models_failed:gateway");
  if (all !== undefined && t > all.last) all.last = t;
  return inc;
}

/** Where a decision line (failover, rotation, surface) stands: about a counted attempt or not. */
function decision(ctx: TrackContext, kind: IncidentKind, provider: string, ev: OpenClawEvent & { runId?: string }, profile?: string): boolean {
  const ref: LineRef = { provider, kind, t: ev.ts, run: ev.runId, trace: ev.traceId, profile };
  return !ctx.attempts.decision(ref, ctx.state.fetchLines === true);
}

function onFailover(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "model.failover" }>): void {
  const p = providerState(ctx.state, ev.fromProvider);
  const kind = causeOfReason(ev.reason);
  const inc = signal(ctx, kind, p.provider, ev.ts, word(ev.reason), decision(ctx, kind, p.provider, ev));
  if (ev.toProvider === undefined) return;
  const target = `${word(ev.toProvider)}/${word(ev.toModel)}`;
  inc.fallbacks ??= [];
  let fb = inc.fallbacks.find((f) => f.target === target);
  if (fb === undefined && inc.fallbacks.length < MAX_FALLBACKS) inc.fallbacks.push(fb = { target, failovers: 0, turns: 0 });
  if (fb) fb.failovers++;
}

/** A successful turn or attempt: credit fallbacks that led here, end what it proves over. */
export function onSuccess(ctx: TrackContext, rawProvider: string | undefined, rawModel: string | undefined, t: number, via: "usage" | "fetch"): void {
  const provider = word(rawProvider), model = word(rawModel);
  for (const inc of ctx.open.values()) {
    if (inc.kind === "all_models_failed") { ctx.close(inc, t, "success"); continue; }
    for (const fb of inc.fallbacks ?? []) {
      if (fb.target !== `${provider}/${model}`) continue;
      if (via === "usage") fb.turns++;
      else fb.okRequests = (fb.okRequests ?? 0) + 1;
    }
    // A key of this provider works again: the storm or errors are over. Auth and billing
    // trouble stays: one revoked key does not heal because another key answers.
    if (inc.subject === provider && (inc.kind === "rate_limit" || inc.kind === "provider_errors") && t >= inc.last) ctx.close(inc, t, "success");
  }
}

export function trackProvider(ctx: TrackContext, ev: OpenClawEvent): boolean {
  const t = ev.ts;
  switch (ev.type) {
    case "model.fetch": {
      ctx.state.fetchLines = true;
      const p = providerState(ctx.state, ev.provider);
      const cause = causeOfStatus(ev.status, ev.outcome);
      if (cause === undefined) {
        p.ok++;
        p.lastSuccess = Math.max(p.lastSuccess ?? t, t);
        onSuccess(ctx, ev.provider, ev.model, t, "fetch");
        return true;
      }
      const label = fetchLabel(ev.status, ev.outcome);
      p.failed++;
      if (p.lastFailure === undefined || t >= p.lastFailure) { p.lastFailure = t; p.lastFailureReason = label; }
      ctx.attempts.fetch({ provider: p.provider, kind: cause, t, trace: ev.traceId }, label);
      const inc = signal(ctx, cause, p.provider, t, label);
      inc.requests = (inc.requests ?? 0) + 1;
      return true;
    }
    case "auth.profile.failure": {
      const p = providerState(ctx.state, ev.provider);
      const until = ev.windowType === "disabled" ? ev.disabledUntil ?? ev.cooldownUntil : ev.cooldownUntil ?? ev.disabledUntil;
      const reason = word(ev.reason);
      const kind = causeOfReason(ev.reason);
      const id = profileName(ev.profileId);
      const same = ctx.attempts.failureLine({ provider: p.provider, kind, t, run: ev.runId, trace: ev.traceId, profile: id });
      const inc = signal(ctx, kind, p.provider, t, reason, same === undefined);
      if (p.lastFailure === undefined || t >= p.lastFailure) {
        p.lastFailure = t;
        // The HTTP status of its attempt says more (`http_429`) than the reason word.
        p.lastFailureReason = same?.label ?? reason;
      }
      if (until !== undefined && until > t) inc.until = Math.max(inc.until ?? until, until);
      if (ev.windowReused !== true && until !== undefined && until > t) {
        inc.windowsOpened = (inc.windowsOpened ?? 0) + 1;
        const len = Math.round((until - t) / 1000) * 1000;
        inc.windowLengthsMs ??= [];
        if (!inc.windowLengthsMs.includes(len) && inc.windowLengthsMs.length < MAX_WINDOW_LENGTHS) inc.windowLengthsMs.push(len);
      }
      if (id === undefined) return true;
      noteIncidentProfile(inc, id, ev.windowType, until);
      clearAuth(ctx, inc, id, t);
      const prof = profileOf(p, id, t);
      if (prof === undefined) return true;
      const inWindow = prof.until !== undefined && t <= prof.until;
      if (!inWindow || p.runStart[id] === undefined) p.runStart[id] = t;
      prof.failures++;
      bump(prof.reasons, reason, 1, 8);
      prof.window = ev.windowType;
      if (until !== undefined) prof.until = Math.max(until, inWindow ? prof.until ?? until : until);
      return true;
    }
    case "auth.profile.rotation": {
      const p = providerState(ctx.state, ev.provider);
      const kind = causeOfReason(ev.reason);
      const id = profileName(ev.profileId);
      const inc = signal(ctx, kind, p.provider, t, word(ev.reason), decision(ctx, kind, p.provider, ev, id));
      if (id === undefined) return true;
      noteIncidentProfile(inc, id, undefined, undefined, false);
      const prof = profileOf(p, id, t);
      if (prof) prof.rotations++;
      return true;
    }
    case "model.failover": onFailover(ctx, ev); return true;
    case "model.failover.surfaced": {
      const provider = providerState(ctx.state, ev.provider).provider;
      const kind = causeOfReason(ev.reason);
      signal(ctx, kind, provider, t, word(ev.reason), decision(ctx, kind, provider, ev));
      return true;
    }
    case "auth.provider.unavailable": {
      // A skip: every key of the provider in a window, no request made, so no failed attempt.
      const inc = signal(ctx, causeOfReason(ev.reason), providerState(ctx.state, ev.provider).provider, t, "", false);
      inc.skipped = (inc.skipped ?? 0) + 1;
      // Only skips so far: they are the incident's evidence, and its times.
      if (inc.count === 0) { inc.start = Math.min(inc.start, t); inc.last = Math.max(inc.last, t); }
      return true;
    }
    case "model.all_failed": {
      const inc = ctx.touch("all_models_failed", "gateway", t);
      bump(inc.reasons, word(ev.lastReason));
      inc.providerReasons ??= {};
      for (const p of ctx.state.providers) {
        if (p.lastFailure !== undefined && p.lastFailureReason !== undefined && t - p.lastFailure <= REASON_LOOKBACK_MS && p.lastFailure <= t) {
          // Every distinct reason across the failed runs (`timeout/http_500/http_402`), not only the last.
          const seen = inc.providerReasons[p.provider]?.split("/") ?? [];
          if (!seen.includes(p.lastFailureReason) && seen.length < MAX_PROVIDER_LABELS) seen.push(p.lastFailureReason);
          inc.providerReasons[p.provider] = seen.join("/");
        }
      }
      return true;
    }
    case "model.usage": {
      const p = providerState(ctx.state, ev.provider);
      p.turns++;
      p.lastSuccess = Math.max(p.lastSuccess ?? t, t);
      onSuccess(ctx, ev.provider, ev.model, t, "usage");
      return true;
    }
    default: return false;
  }
}
