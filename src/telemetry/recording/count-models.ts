/**
 * Models and providers: usage, requests, failed attempts, retries, failovers, every model
 * failing, pricing fetches. Where the 13 original diagnostic types feed upstream's metrics
 * (model.usage, run.attempt) they do so exactly as diagnostics-otel does
 * (docs/openclaw-formats.md §4.2): `?? "unknown"` where upstream defaults a value, an attribute
 * left out where upstream sets it only when present, and a token add only for non-zero buckets
 * (prompt and total included, so never sum across openclaw.token). Where upstream later added
 * the same metric (`openclaw.model.failover`) its attribute rules are kept.
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { noteModelOutcome } from "./model-health.ts";
import { httpStatusLabel } from "../naming/attributes.ts";
import { CH, LANE, MODEL, OUTCOME, PROV, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

export function recordModelUsage(store: MetricSink, ev: EventOf<"model.usage">): void {
  // A usage report is a model call that answered: the model's last success.
  if (ev.provider !== undefined || ev.model !== undefined) noteModelOutcome(store, ev.provider, ev.model, true, ev.ts);
  const attrs = { [CH]: ev.channel ?? U, [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U };
  const buckets: [string, number | undefined][] = [
    ["input", ev.usage.input], ["output", ev.usage.output], ["cache_read", ev.usage.cacheRead],
    ["cache_write", ev.usage.cacheWrite], ["prompt", ev.usage.promptTokens], ["total", ev.usage.total],
  ];
  for (const [token, n] of buckets) if (n) store.add("openclaw.tokens", n, { ...attrs, "openclaw.token": token });
  if (ev.costUsd) store.add("openclaw.cost.usd", ev.costUsd, attrs);
  if (ev.durationMs) store.observe("openclaw.run.duration_ms", ev.durationMs, attrs);
  const limit = ev.context?.limit, used = ev.context?.used;
  if (limit) store.observe("openclaw.context.tokens", limit, { ...attrs, "openclaw.context": "limit" });
  if (used) store.observe("openclaw.context.tokens", used, { ...attrs, "openclaw.context": "used" });
  // Ours: share of the window used, for the "context > 80 %" alert.
  if (limit && used !== undefined && limit > 0) {
    store.observe("openclaw.context.utilization", used / limit, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U });
  }
}

export function recordRunAttempt(store: MetricSink, ev: EventOf<"run.attempt">): void {
  // Upstream's label, kept bounded: attempts past 9 share "10+" (a retry storm must not mint
  // a series per attempt number).
  store.add("openclaw.run.attempt", 1, { "openclaw.attempt": Number.isInteger(ev.attempt) && ev.attempt >= 0 && ev.attempt < 10 ? ev.attempt : "10+" });
}

export function recordModelFetch(store: MetricSink, ev: EventOf<"model.fetch">): void {
  const attrs = { [PROV]: ev.provider, [MODEL]: ev.model, [OUTCOME]: ev.outcome };
  // No status on the line: the label is left out, as before the status was logged.
  const status = ev.status === undefined ? undefined : httpStatusLabel(ev.status);
  store.add("openclaw.model.request", 1, { ...attrs, "openclaw.http.status": status });
  noteModelOutcome(store, ev.provider, ev.model, ev.outcome === "success", ev.ts);
  if (typeof ev.elapsedMs === "number") store.observe("openclaw.model.request.duration", ev.elapsedMs, attrs);
}

export function recordCandidateSucceeded(store: MetricSink, ev: EventOf<"model.candidate.succeeded">): void {
  if (ev.provider !== undefined || ev.model !== undefined) noteModelOutcome(store, ev.provider, ev.model, true, ev.ts);
}

export function recordCallError(store: MetricSink, ev: EventOf<"model.call.error">): void {
  // A failed attempt always gets a row: no status on the line is "unknown".
  store.add("openclaw.model.call.error", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason, "openclaw.http.status": httpStatusLabel(ev.status) });
}

export function recordRetry(store: MetricSink, ev: EventOf<"model.retry">): void {
  store.add("openclaw.model.retry", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
  if (ev.delayMs !== undefined) store.observe("openclaw.model.retry.delay", ev.delayMs, { [PROV]: ev.provider ?? U, [REASON]: ev.reason });
}

export function recordFailover(store: MetricSink, ev: EventOf<"model.failover">): void {
  store.add("openclaw.model.failover", 1, {
    [PROV]: ev.fromProvider ?? U, [MODEL]: ev.fromModel ?? U,
    "openclaw.failover.to_provider": ev.toProvider ?? U, "openclaw.failover.to_model": ev.toModel ?? U,
    "openclaw.failover.reason": ev.reason,
    "openclaw.failover.suspended": ev.suspended === undefined ? U : String(ev.suspended),
    [LANE]: ev.lane,
  });
}

export function recordSurfaced(store: MetricSink, ev: EventOf<"model.failover.surfaced">): void {
  store.add("openclaw.model.failover.surfaced", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
}

export function recordAllFailed(store: MetricSink, ev: EventOf<"model.all_failed">): void {
  store.add("openclaw.model.all_failed", 1, { [REASON]: ev.lastReason ?? U });
}

export function recordPricingFailure(store: MetricSink, ev: EventOf<"pricing.fetch_failed">): void {
  store.add("openclaw.pricing.fetch.failure", 1, { "openclaw.kind": ev.source });
}
