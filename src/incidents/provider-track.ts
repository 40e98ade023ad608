/**
 * Provider trouble: rate-limit storms, auth (401/403) and billing (402) failures, other errors,
 * with the profiles involved, where the gateway fell back to and how many turns went there; and
 * every model failing at once. The kind is the HTTP status's wherever a line of the attempt
 * says it (a 402 OpenClaw calls rate_limit is billing), else OpenClaw's reason's (attempts.ts).
 * Successes are provider-success.ts's; profiles and their windows, provider-profiles.ts's.
 */
import type { EventType, OpenClawEvent } from "../events/types.ts";
import { callEnded } from "./other-track.ts";
import { decision, providerState, signal, type TrackContext } from "./provider-context.ts";
import { onProfileFailure, onRotation } from "./provider-profiles.ts";
import { learnPrimary, onSuccess, trackSuccess } from "./provider-success.ts";
import type { Incident, IncidentKind } from "./types.ts";
import { bump, causeOfReason, causeOfStatus, fetchLabel, word } from "./words.ts";

export type { TrackContext } from "./provider-context.ts";
export const PROVIDER_KINDS: readonly IncidentKind[] = ["rate_limit", "auth", "billing", "provider_errors"];
/** A provider's failures within this long before "all models failed" are its reason there. */
const REASON_LOOKBACK_MS = 10 * 60_000;
const MAX_FALLBACKS = 4;
/** Distinct failure labels kept per provider for "all models failed" (`timeout/500/402`). */
const MAX_PROVIDER_LABELS = 4;

function failed(ctx: TrackContext, provider: string, t: number, label: string): void {
  const p = providerState(ctx.state, provider);
  if (p.lastFailure === undefined || t >= p.lastFailure) { p.lastFailure = t; p.lastFailureReason = label; }
}

function onFetch(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "model.fetch" }>): void {
  const t = ev.ts;
  ctx.state.fetchLines = true;
  if (ev.elapsedMs !== undefined) callEnded(ctx, t, ev.elapsedMs);
  const p = providerState(ctx.state, ev.provider);
  const cause = causeOfStatus(ev.status, ev.outcome);
  if (cause === undefined) {
    p.ok++;
    onSuccess(ctx, ev.provider, ev.model, t, "fetch");
    return;
  }
  const label = fetchLabel(ev.status, ev.outcome);
  p.failed++;
  failed(ctx, p.provider, t, label);
  ctx.attempts.fetch({ provider: p.provider, kind: cause, t, trace: ev.traceId }, label);
  const inc = signal(ctx, cause, p.provider, t, label);
  inc.requests = (inc.requests ?? 0) + 1;
}

/**
 * An attempt's agent-end line: counted when no fetch line did (4.24 writes none; there one
 * agent end can stand for up to three HTTP requests the SDK retried, so it counts attempts).
 */
function onCallError(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "model.call.error" }>): void {
  const t = ev.ts;
  const provider = providerState(ctx.state, ev.provider).provider;
  const kind = ev.status !== undefined ? causeOfStatus(ev.status, "http_error") ?? "provider_errors" : causeOfReason(ev.reason);
  const label = ev.status !== undefined ? `http_${ev.status}` : word(ev.reason);
  ctx.runs.candidate(ev.runId, t, ev.provider, ev.model);
  if (ctx.attempts.callError({ provider, kind, t, run: ev.runId, trace: ev.traceId }, label) !== undefined) return;
  failed(ctx, provider, t, label);
  signal(ctx, kind, provider, t, label);
}

function onFailover(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "model.failover" }>): void {
  const p = providerState(ctx.state, ev.fromProvider);
  learnPrimary(ctx, ev.requestedProvider, ev.requestedModel);
  ctx.runs.candidate(ev.runId, ev.ts, ev.toProvider, ev.toModel);
  const d = decision(ctx, ev.reason, p.provider, ev);
  const inc = signal(ctx, d.kind, p.provider, ev.ts, word(ev.reason), d.counted);
  if (ev.toProvider === undefined) return;
  const target = `${word(ev.toProvider)}/${word(ev.toModel)}`;
  inc.fallbacks ??= [];
  let fb = inc.fallbacks.find((f) => f.target === target);
  if (fb === undefined && inc.fallbacks.length < MAX_FALLBACKS) inc.fallbacks.push(fb = { target, failovers: 0, turns: 0 });
  if (fb) fb.failovers++;
}

/**
 * A skip: every key of the provider in a window, no request made, so no failed attempt. It
 * belongs to the trouble that put the keys there (OpenClaw names a 402's windows rate_limit).
 */
function onUnavailable(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "auth.provider.unavailable" }>): void {
  const t = ev.ts;
  const provider = providerState(ctx.state, ev.provider).provider;
  ctx.runs.candidate(ev.runId, t, undefined);
  let kind = causeOfReason(ev.reason);
  let latest = -Infinity;
  for (const inc of ctx.open.values()) {
    if (inc.subject === provider && PROVIDER_KINDS.includes(inc.kind) && inc.last > latest) { latest = inc.last; kind = inc.kind as typeof kind; }
  }
  const inc = signal(ctx, kind, provider, t, "", false);
  inc.skipped = (inc.skipped ?? 0) + 1;
  // Only skips so far: they are the incident's evidence, and its times.
  if (inc.count === 0) { inc.start = Math.min(inc.start, t); inc.last = Math.max(inc.last, t); }
}

function onAllFailed(ctx: TrackContext, ev: Extract<OpenClawEvent, { type: "model.all_failed" }>): void {
  // `All models failed (1)`: one candidate, a failed turn, not every model failing.
  if (ev.via === "summary" && ev.attempts !== undefined && ev.attempts < 2) return;
  const t = ev.ts;
  // The last candidate failed too: its provider's trouble, like a failover's from-provider. Where
  // a fetch or agent-end line said the attempt, it is not counted again (decision()); an empty
  // answer (the 2026.9.6-incidents capture's incomplete turn, reason `format`) has no other line.
  if (ev.last === "failed" && ev.provider !== undefined) {
    const provider = providerState(ctx.state, ev.provider).provider;
    const d = decision(ctx, ev.lastReason ?? "unknown", provider, ev);
    if (d.counted) failed(ctx, provider, t, word(ev.lastReason));
    signal(ctx, d.kind, provider, t, word(ev.lastReason), d.counted);
  }
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
}

/** The events trackProvider reads (relevance.ts builds `report`'s filter from these lists). */
export const PROVIDER_READS: readonly EventType[] = [
  "model.fetch", "model.call.error", "auth.profile.failure", "auth.profile.rotation", "model.failover",
  "model.failover.surfaced", "auth.provider.unavailable", "model.all_failed",
];

export function trackProvider(ctx: TrackContext, ev: OpenClawEvent): boolean {
  if (trackSuccess(ctx, ev)) return true;
  switch (ev.type) {
    case "model.fetch": onFetch(ctx, ev); return true;
    case "model.call.error": onCallError(ctx, ev); return true;
    case "auth.profile.failure": onProfileFailure(ctx, ev); return true;
    case "auth.profile.rotation": onRotation(ctx, ev); return true;
    case "model.failover": onFailover(ctx, ev); return true;
    case "model.failover.surfaced": {
      const provider = providerState(ctx.state, ev.provider).provider;
      const d = decision(ctx, ev.reason, provider, ev);
      signal(ctx, d.kind, provider, ev.ts, word(ev.reason), d.counted);
      return true;
    }
    case "auth.provider.unavailable": onUnavailable(ctx, ev); return true;
    case "model.all_failed": onAllFailed(ctx, ev); return true;
    default: return false;
  }
}
