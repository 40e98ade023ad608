/**
 * Counters for the later diagnostic types and for the events derived from plain log lines
 * (failover decisions, auth-profile windows, lane waits, channel trouble, model fetches).
 * Names and attributes follow catalogue.ts; where upstream later added the same metric
 * (`openclaw.model.failover`) its attribute rules are kept (suspended: "true"|"false"|"unknown").
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { markStuck, openWindow } from "../storage/active-state.ts";
import { boundValue } from "../naming/attributes.ts";
import { noteModelOutcome } from "./model-health.ts";
import { noteProfileFailure, noteRotation } from "./profiles-known.ts";
import { sessionOf } from "./count-upstream.ts";
import { ocProfile } from "./metric-sink.ts";
import { CH, LANE, MODEL, OUTCOME, PROV, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

/** Until we know better, a window with no end in its line: the longest step of each ladder. */
const FALLBACK_WINDOW_MS = { cooldown: 5 * 60_000, disabled: 24 * 3_600_000 } as const;

export function recordLongRunning(store: MetricSink, ev: EventOf<"session.long_running">): void {
  store.add("openclaw.session.attention", 1, { "openclaw.kind": "long_running", "openclaw.classification": ev.classification });
}

export function recordStalled(store: MetricSink, ev: EventOf<"session.stalled">): void {
  store.add("openclaw.session.attention", 1, { "openclaw.kind": "stalled", "openclaw.classification": ev.classification });
  markStuck(store, sessionOf(ev), "stalled", ev.ts, store.profileTag);
}

export function recordLiveness(store: MetricSink, ev: EventOf<"diagnostic.liveness.warning">): void {
  const reasons = ev.reasons.length > 0 ? ev.reasons : [U];
  for (const reason of reasons) store.add("openclaw.liveness.warning", 1, { "openclaw.liveness.reason": reason });
}

export function recordMemoryPressure(store: MetricSink, ev: EventOf<"diagnostic.memory.pressure">): void {
  store.add("openclaw.memory.pressure", 1, { "openclaw.memory.level": ev.level, "openclaw.memory.reason": ev.reason });
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

export function recordRotation(store: MetricSink, ev: EventOf<"auth.profile.rotation">): void {
  store.add("openclaw.auth.profile.rotation", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
  noteRotation(store, ev.provider ?? U, ev.profileId);
}

export function recordSurfaced(store: MetricSink, ev: EventOf<"model.failover.surfaced">): void {
  store.add("openclaw.model.failover.surfaced", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
}

export function recordAllFailed(store: MetricSink, ev: EventOf<"model.all_failed">): void {
  store.add("openclaw.model.all_failed", 1, { [REASON]: ev.lastReason ?? U });
}

export function recordProfileFailure(store: MetricSink, ev: EventOf<"auth.profile.failure">): void {
  const window = ev.windowType;
  const attrs = { [PROV]: ev.provider, [REASON]: ev.reason, "openclaw.window": window };
  const until = (window === "cooldown" ? ev.cooldownUntil : ev.disabledUntil) ?? ev.ts + FALLBACK_WINDOW_MS[window];
  if (!ev.windowReused) {
    store.add("openclaw.auth.window.opened", 1, attrs);
    if (until > ev.ts) store.observe("openclaw.auth.cooldown.length", until - ev.ts, attrs);
  }
  // The provider is stored already bounded so two raw spellings of "unknown" share a group.
  openWindow(store, { provider: boundValue(ev.provider), window, profile: ev.profileId ?? U, untilMs: until, ...ocProfile(store) });
  noteProfileFailure(store, ev.provider);
}

export function recordProviderUnavailable(store: MetricSink, ev: EventOf<"auth.provider.unavailable">): void {
  store.add("openclaw.auth.provider.unavailable", 1, { [PROV]: ev.provider, [REASON]: ev.reason ?? U });
}

export function recordWaitExceeded(store: MetricSink, ev: EventOf<"queue.lane.wait_exceeded">): void {
  store.add("openclaw.queue.lane.wait_exceeded", 1, { [LANE]: ev.lane });
  store.observe("openclaw.queue.lane.exceeded_wait", ev.waitedMs, { [LANE]: ev.lane });
}

export function recordTaskError(store: MetricSink, ev: EventOf<"queue.lane.task_error">): void {
  store.add("openclaw.queue.lane.task_error", 1, { [LANE]: ev.lane });
}

export function recordTelegramError(store: MetricSink, ev: EventOf<"channel.telegram.network_error">): void {
  store.add("openclaw.channel.network_error", 1, { [CH]: "telegram", "openclaw.method": ev.method ?? U, "openclaw.phase": ev.phase });
}

export function recordDiscordReconnect(store: MetricSink, ev: EventOf<"channel.discord.reconnect">): void {
  store.add("openclaw.channel.reconnect", 1, { [CH]: "discord", [REASON]: ev.reason });
}

export function recordWebsocketClose(store: MetricSink, ev: EventOf<"channel.websocket.close">): void {
  store.add("openclaw.channel.websocket.close", 1, { [CH]: ev.channel, "openclaw.close_code": ev.code });
}

export function recordHealthRestart(store: MetricSink, ev: EventOf<"channel.health_monitor.restart">): void {
  store.add("openclaw.channel.health_restart", 1, { [CH]: ev.channel, [REASON]: ev.reason });
}

export function recordLifecycle(store: MetricSink, ev: EventOf<"channel.lifecycle">): void {
  store.add("openclaw.channel.exit", 1, { [CH]: ev.channel, "openclaw.kind": ev.kind });
}

export function recordModelFetch(store: MetricSink, ev: EventOf<"model.fetch">): void {
  const attrs = { [PROV]: ev.provider, [MODEL]: ev.model, [OUTCOME]: ev.outcome };
  store.add("openclaw.model.request", 1, { ...attrs, "openclaw.http.status": httpStatusValue(ev.status) });
  noteModelOutcome(store, ev.provider, ev.model, ev.outcome === "success", ev.ts);
  if (typeof ev.elapsedMs === "number") store.observe("openclaw.model.request.duration", ev.elapsedMs, attrs);
}

export function recordLogLoss(store: MetricSink, ev: EventOf<"log.loss">): void {
  const attrs = { "openclaw.kind": ev.kind };
  store.add("openclaw.log.loss", 1, attrs);
  if (typeof ev.dropped === "number" && ev.dropped > 0) store.add("openclaw.log.dropped", ev.dropped, attrs);
}

/** An HTTP status as a label: 100-599 as written, anything else one value (never a new series per number). */
function httpStatusValue(status: number | undefined): string | undefined {
  if (status === undefined) return undefined;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}
