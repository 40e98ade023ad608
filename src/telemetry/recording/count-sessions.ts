/**
 * Sessions, messages, queues and turns: session states and the attention kinds (stuck,
 * stalled, long-running), lane queues and waits, messages queued and processed, tool loops,
 * failed turns. message.*, session.state/stuck, queue.lane.* and tool.loop feed upstream's
 * metrics exactly as diagnostics-otel does (docs/openclaw-formats.md §4.2).
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { clearStuck, markStuck } from "../storage/active-state.ts";
import { CH, LANE, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

/** The session a session.* event is about, for the internal stuck map only. */
function sessionOf(ev: { sessionKey?: string; sessionId?: string }): string {
  return ev.sessionKey ?? ev.sessionId ?? U;
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

export function recordLongRunning(store: MetricSink, ev: EventOf<"session.long_running">): void {
  store.add("openclaw.session.attention", 1, { "openclaw.kind": "long_running", "openclaw.classification": ev.classification });
}

export function recordStalled(store: MetricSink, ev: EventOf<"session.stalled">): void {
  store.add("openclaw.session.attention", 1, { "openclaw.kind": "stalled", "openclaw.classification": ev.classification });
  markStuck(store, sessionOf(ev), "stalled", ev.ts, store.profileTag);
}

export function recordLaneEnqueue(store: MetricSink, ev: EventOf<"queue.lane.enqueue">): void {
  const attrs = { [LANE]: ev.lane };
  store.add("openclaw.queue.lane.enqueue", 1, attrs);
  store.observe("openclaw.queue.depth", ev.queueSize, attrs);
}

export function recordLaneDequeue(store: MetricSink, ev: EventOf<"queue.lane.dequeue">): void {
  const attrs = { [LANE]: ev.lane };
  store.add("openclaw.queue.lane.dequeue", 1, attrs);
  store.observe("openclaw.queue.depth", ev.queueSize, attrs);
  if (typeof ev.waitMs === "number") store.observe("openclaw.queue.wait_ms", ev.waitMs, attrs);
}

export function recordWaitExceeded(store: MetricSink, ev: EventOf<"queue.lane.wait_exceeded">): void {
  store.add("openclaw.queue.lane.wait_exceeded", 1, { [LANE]: ev.lane });
  store.observe("openclaw.queue.lane.exceeded_wait", ev.waitedMs, { [LANE]: ev.lane });
}

export function recordTaskError(store: MetricSink, ev: EventOf<"queue.lane.task_error">): void {
  store.add("openclaw.queue.lane.task_error", 1, { [LANE]: ev.lane });
}

export function recordToolLoop(store: MetricSink, ev: EventOf<"tool.loop">): void {
  store.add("openclaw.tool.loop", 1, {
    "openclaw.toolName": ev.toolName, "openclaw.loop.level": ev.level, "openclaw.loop.action": ev.action,
    "openclaw.loop.detector": ev.detector, "openclaw.loop.paired_tool": ev.pairedToolName,
  });
}

export function recordTurnFailed(store: MetricSink, ev: EventOf<"agent.turn.failed">): void {
  store.add("openclaw.agent.turn.failed", 1, { "openclaw.error_code": ev.errorCode, [REASON]: ev.reason });
}

/** Stop reasons are OpenClaw's small enum; anything else is "other" (never free text in a label). */
const STOP_REASON = /^[A-Za-z_]{1,24}$/;

export function recordTurnCompleted(store: MetricSink, ev: EventOf<"agent.turn.completed">): void {
  store.add("openclaw.agent.turn.completed", 1, { [REASON]: STOP_REASON.test(ev.stopReason) ? ev.stopReason : "other" });
}
