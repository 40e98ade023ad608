/**
 * Events -> metrics: one exhaustive switch over OpenClawEvent, one small recorder per type
 * (count-upstream.ts for the 13 original diagnostic types, count-derived.ts for the rest).
 * A new event type fails to compile here until it is handled.
 *
 * Every event also moves the event clock (expiring cooldown windows and stuck sessions) and
 * is counted in openclaw.sidecar.events{type, origin} and openclaw.sidecar.event.last_seen.
 */
import type { OpenClawEvent } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { advanceClock } from "../storage/active-state.ts";
import * as up from "./count-upstream.ts";
import * as d from "./count-derived.ts";
import { recordAttempt } from "./count-attempts.ts";

export function countEvent(store: MetricSink, ev: OpenClawEvent): void {
  advanceClock(store, ev.ts);
  // diagnostic.other is counted under the type OpenClaw gave it; hygiene and the series cap
  // keep an odd or endless set of type names bounded.
  const type = ev.type === "diagnostic.other" ? ev.originalType : ev.type;
  store.add("openclaw.sidecar.events", 1, { "openclaw.event.type": type, "openclaw.origin": ev.origin });
  store.setMax("openclaw.sidecar.event.last_seen", ev.ts / 1000, { "openclaw.event.type": type });
  dispatch(store, ev);
}

function dispatch(store: MetricSink, ev: OpenClawEvent): void {
  switch (ev.type) {
    case "model.usage": return up.recordModelUsage(store, ev);
    case "webhook.received": return up.recordWebhookReceived(store, ev);
    case "webhook.processed": return up.recordWebhookProcessed(store, ev);
    case "webhook.error": return up.recordWebhookError(store, ev);
    case "message.queued": return up.recordMessageQueued(store, ev);
    case "message.processed": return up.recordMessageProcessed(store, ev);
    case "session.state": return up.recordSessionState(store, ev);
    case "session.stuck": return up.recordSessionStuck(store, ev);
    case "queue.lane.enqueue": return up.recordLaneEnqueue(store, ev);
    case "queue.lane.dequeue": return up.recordLaneDequeue(store, ev);
    case "run.attempt": return up.recordRunAttempt(store, ev);
    case "diagnostic.heartbeat": return up.recordHeartbeat(store, ev);
    case "tool.loop": return up.recordToolLoop(store, ev);
    case "session.long_running": return d.recordLongRunning(store, ev);
    case "session.stalled": return d.recordStalled(store, ev);
    case "diagnostic.liveness.warning": return d.recordLiveness(store, ev);
    case "diagnostic.memory.pressure": return d.recordMemoryPressure(store, ev);
    // run.completed would feed openclaw.run.duration_ms as later upstream does, but model.usage
    // already does for the same run; counting both would double the samples. Counted only.
    case "run.completed": return;
    case "model.failover": return d.recordFailover(store, ev);
    case "diagnostic.other": return;
    case "auth.profile.rotation": return d.recordRotation(store, ev);
    case "model.failover.surfaced": return d.recordSurfaced(store, ev);
    case "model.all_failed": return d.recordAllFailed(store, ev);
    case "auth.profile.failure": return d.recordProfileFailure(store, ev);
    case "auth.provider.unavailable": return d.recordProviderUnavailable(store, ev);
    case "queue.lane.wait_exceeded": return d.recordWaitExceeded(store, ev);
    case "queue.lane.task_error": return d.recordTaskError(store, ev);
    case "channel.telegram.network_error": return d.recordTelegramError(store, ev);
    case "channel.discord.reconnect": return d.recordDiscordReconnect(store, ev);
    case "channel.websocket.close": return d.recordWebsocketClose(store, ev);
    case "channel.health_monitor.restart": return d.recordHealthRestart(store, ev);
    case "channel.lifecycle": return d.recordLifecycle(store, ev);
    case "model.fetch": return d.recordModelFetch(store, ev);
    case "log.loss": return d.recordLogLoss(store, ev);
    case "model.call.error":
    case "model.retry":
    case "auth.profile.rotation_cap":
    case "agent.turn.failed":
    case "storage.slow":
    case "auth.state.rewarm":
    case "pricing.fetch_failed": return recordAttempt(store, ev);
    default: {
      const unhandled: never = ev;
      throw new Error(`unhandled event ${(unhandled as { type: string }).type}`);
    }
  }
}
