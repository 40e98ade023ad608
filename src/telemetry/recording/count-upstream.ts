/**
 * Counters for the 13 original diagnostic events: they feed the 18 upstream metrics exactly
 * as diagnostics-otel does (docs/openclaw-formats.md §4.2), so the same events give the same
 * series: `?? "unknown"` where upstream defaults a value, an attribute left out where upstream
 * sets it only when present, and a token add only for non-zero buckets (prompt and total
 * included, so never sum across openclaw.token).
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { noteModelOutcome } from "./model-health.ts";
import { clearStuck, markStuck } from "../storage/active-state.ts";
import { CH, MODEL, PROV } from "../naming/attribute-keys.ts";

const U = "unknown";

/** The session a session.* event is about, for the internal stuck map only. */
export function sessionOf(ev: { sessionKey?: string; sessionId?: string }): string {
  return ev.sessionKey ?? ev.sessionId ?? U;
}

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

const webhookAttrs = (ev: { channel: string; updateType?: string }) => ({ [CH]: ev.channel ?? U, "openclaw.webhook": ev.updateType ?? U });

export function recordWebhookReceived(store: MetricSink, ev: EventOf<"webhook.received">): void {
  store.add("openclaw.webhook.received", 1, webhookAttrs(ev));
}

export function recordWebhookProcessed(store: MetricSink, ev: EventOf<"webhook.processed">): void {
  if (typeof ev.durationMs === "number") store.observe("openclaw.webhook.duration_ms", ev.durationMs, webhookAttrs(ev));
}

export function recordWebhookError(store: MetricSink, ev: EventOf<"webhook.error">): void {
  store.add("openclaw.webhook.error", 1, webhookAttrs(ev));
}

export function recordMessageQueued(store: MetricSink, ev: EventOf<"message.queued">): void {
  const attrs = { [CH]: ev.channel ?? U, "openclaw.source": ev.source ?? U };
  store.add("openclaw.message.queued", 1, attrs);
  if (typeof ev.queueDepth === "number") store.observe("openclaw.queue.depth", ev.queueDepth, attrs);
}

export function recordMessageProcessed(store: MetricSink, ev: EventOf<"message.processed">): void {
  const attrs = { [CH]: ev.channel ?? U, "openclaw.outcome": ev.outcome ?? U };
  store.add("openclaw.message.processed", 1, attrs);
  if (typeof ev.durationMs === "number") store.observe("openclaw.message.duration_ms", ev.durationMs, attrs);
}

export function recordSessionState(store: MetricSink, ev: EventOf<"session.state">): void {
  store.add("openclaw.session.state", 1, { "openclaw.state": ev.state, "openclaw.reason": ev.reason || undefined });
  if (ev.state !== "processing") clearStuck(store, sessionOf(ev), store.profileTag);
}

export function recordSessionStuck(store: MetricSink, ev: EventOf<"session.stuck">): void {
  const attrs = { "openclaw.state": ev.state };
  store.add("openclaw.session.stuck", 1, attrs);
  if (typeof ev.ageMs === "number") store.observe("openclaw.session.stuck_age_ms", ev.ageMs, attrs);
  store.add("openclaw.session.attention", 1, { "openclaw.kind": "stuck", "openclaw.classification": ev.classification });
  markStuck(store, sessionOf(ev), "stuck", ev.ts, store.profileTag);
}

export function recordLaneEnqueue(store: MetricSink, ev: EventOf<"queue.lane.enqueue">): void {
  const attrs = { "openclaw.lane": ev.lane };
  store.add("openclaw.queue.lane.enqueue", 1, attrs);
  store.observe("openclaw.queue.depth", ev.queueSize, attrs);
}

export function recordLaneDequeue(store: MetricSink, ev: EventOf<"queue.lane.dequeue">): void {
  const attrs = { "openclaw.lane": ev.lane };
  store.add("openclaw.queue.lane.dequeue", 1, attrs);
  store.observe("openclaw.queue.depth", ev.queueSize, attrs);
  if (typeof ev.waitMs === "number") store.observe("openclaw.queue.wait_ms", ev.waitMs, attrs);
}

export function recordRunAttempt(store: MetricSink, ev: EventOf<"run.attempt">): void {
  // Upstream's label, kept bounded: attempts past 9 share "10+" (a retry storm must not mint
  // a series per attempt number).
  store.add("openclaw.run.attempt", 1, { "openclaw.attempt": Number.isInteger(ev.attempt) && ev.attempt >= 0 && ev.attempt < 10 ? ev.attempt : "10+" });
}

export function recordHeartbeat(store: MetricSink, ev: EventOf<"diagnostic.heartbeat">): void {
  store.observe("openclaw.queue.depth", ev.queued, { [CH]: "heartbeat" });
}

export function recordToolLoop(store: MetricSink, ev: EventOf<"tool.loop">): void {
  store.add("openclaw.tool.loop", 1, {
    "openclaw.toolName": ev.toolName, "openclaw.loop.level": ev.level, "openclaw.loop.action": ev.action,
    "openclaw.loop.detector": ev.detector, "openclaw.loop.paired_tool": ev.pairedToolName,
  });
}
