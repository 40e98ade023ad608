/**
 * Evidence that a provider answers again, and what it ends. Every log level has some: a 2xx
 * `[model-fetch]` (6.11+ at debug, 7.x at info), `model.usage` (plugin JSONL), a fallback's
 * `candidate_succeeded` and the answered turn's `ended with stopReason=stop` (runs.ts finds its
 * provider). A success ends every model failing at once, and ends the provider's own trouble of
 * every kind: a storm, errors, and auth or billing failures, since a key of it was accepted.
 */
import type { EventType, OpenClawEvent } from "../events/types.ts";
import { providerState, type TrackContext } from "./provider-context.ts";
import { word } from "./words.ts";

/**
 * How a success was seen: a turn (model.usage), a log line about a turn's answer (a fallback's
 * candidate_succeeded, the run's end: a turn too, but the JSONL's model.usage counts the same
 * turn when the plugin is there), one HTTP request, or one model call read from OpenClaw's
 * session store (src/store: a call, not a turn, and its request may be counted by a log line
 * too, so it ends trouble and sets the last success but counts nothing).
 */
export type SuccessVia = "turn" | "turn_end" | "fetch" | "call";

/** A success of `provider` (undefined: a turn answered, provider not known) at `t`. */
export function onSuccess(ctx: TrackContext, rawProvider: string | undefined, rawModel: string | undefined, t: number, via: SuccessVia): void {
  const provider = rawProvider === undefined ? undefined : word(rawProvider), model = word(rawModel);
  for (const inc of [...ctx.open.values()]) {
    if (inc.kind === "all_models_failed") { ctx.close(inc, t, "success"); continue; }
    for (const fb of inc.fallbacks ?? []) {
      if (provider === undefined || fb.target !== `${provider}/${model}`) continue;
      if (via === "turn" || (via === "turn_end" && ctx.state.usageSeen !== true)) fb.turns++;
      else if (via === "fetch") fb.okRequests = (fb.okRequests ?? 0) + 1;
    }
    if (inc.subject === provider && isProviderKind(inc.kind) && t >= inc.last) ctx.close(inc, t, "success");
  }
  if (provider !== undefined && rawProvider !== undefined) {
    const p = providerState(ctx.state, rawProvider);
    p.lastSuccess = Math.max(p.lastSuccess ?? t, t);
  }
}

const isProviderKind = (k: string): boolean => k === "rate_limit" || k === "auth" || k === "billing" || k === "provider_errors";

/** The events trackSuccess reads. */
export const SUCCESS_READS: readonly EventType[] = ["model.usage", "model.candidate.succeeded", "agent.turn.completed"];

/** The success events: true when `ev` was one (handled here). */
export function trackSuccess(ctx: TrackContext, ev: OpenClawEvent): boolean {
  const t = ev.ts;
  switch (ev.type) {
    case "model.usage": {
      if (ev.origin === "store") { onSuccess(ctx, ev.provider, ev.model, t, "call"); return true; }
      ctx.state.usageSeen = true;
      providerState(ctx.state, ev.provider).turns++;
      onSuccess(ctx, ev.provider, ev.model, t, "turn");
      return true;
    }
    case "model.candidate.succeeded": {
      learnPrimary(ctx, ev.requestedProvider, ev.requestedModel);
      ctx.runs.candidate(ev.runId, t, ev.provider, ev.model);
      ctx.runs.credit(ev.runId, t);
      onSuccess(ctx, ev.provider, ev.model, t, "turn_end");
      return true;
    }
    case "agent.turn.completed": {
      const run = ctx.runs.ended(ev.runId, t);
      if (!run.first || run.credited) return true;
      // A run with no line before its end asked for the primary and got it; a run whose lines
      // named a candidate ended on that one (its last failover's target, or the fallback that
      // answered, credited already by its candidate_succeeded).
      const primary = run.seen ? undefined : ctx.state.primary;
      const provider = run.provider ?? primary?.split("/")[0];
      const model = run.provider !== undefined ? run.model : primary?.split("/")[1];
      onSuccess(ctx, provider, model, t, "turn_end");
      if (primary !== undefined) clearFallbacks(ctx, provider, t);
      return true;
    }
    default: return false;
  }
}

/**
 * A turn the primary answered with no line of trouble: no turn reaches the fallbacks now, so
 * their passing trouble (a storm, errors) no longer touches anyone and ends ("cleared"). Auth
 * and billing of a fallback stay until quiet: a dead key is there for the next failover.
 */
function clearFallbacks(ctx: TrackContext, primary: string | undefined, t: number): void {
  for (const inc of [...ctx.open.values()]) {
    if ((inc.kind === "rate_limit" || inc.kind === "provider_errors") && inc.subject !== primary && t >= inc.last) ctx.close(inc, t, "cleared");
  }
}

/** The model a turn asks for when nothing overrides it, as the decision lines name it. */
export function learnPrimary(ctx: TrackContext, provider: string | undefined, model: string | undefined): void {
  if (provider === undefined) return;
  ctx.state.primary = `${word(provider)}/${word(model)}`;
}
