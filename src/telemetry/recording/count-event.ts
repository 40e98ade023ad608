/**
 * Events -> metrics: one exhaustive switch over OpenClawEvent, one small recorder per type,
 * grouped by what they are about: models and providers, auth profiles, sessions and queues,
 * channels, the gateway itself. A new event type fails to compile here until it is handled.
 *
 * Every event also moves the event clock (expiring cooldown windows and stuck sessions) and
 * is counted in openclaw.sidecar.events{type, origin} and openclaw.sidecar.event.last_seen.
 */
import type { OpenClawEvent } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { advanceClock } from "../storage/active-state.ts";
import * as models from "./count-models.ts";
import * as auth from "./count-auth.ts";
import * as sessions from "./count-sessions.ts";
import * as channels from "./count-channels.ts";
import * as gateway from "./count-gateway.ts";

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
    // Models and providers
    case "model.usage": return models.recordModelUsage(store, ev);
    case "run.attempt": return models.recordRunAttempt(store, ev);
    case "model.fetch": return models.recordModelFetch(store, ev);
    case "model.call.error": return models.recordCallError(store, ev);
    case "model.retry": return models.recordRetry(store, ev);
    case "model.failover": return models.recordFailover(store, ev);
    case "model.failover.surfaced": return models.recordSurfaced(store, ev);
    case "model.all_failed": return models.recordAllFailed(store, ev);
    case "pricing.fetch_failed": return models.recordPricingFailure(store, ev);
    // run.completed would feed openclaw.run.duration_ms as later upstream does, but model.usage
    // already does for the same run; counting both would double the samples. Counted only.
    case "run.completed": return;
    // Auth profiles
    case "auth.profile.rotation": return auth.recordRotation(store, ev);
    case "auth.profile.failure": return auth.recordProfileFailure(store, ev);
    case "auth.provider.unavailable": return auth.recordProviderUnavailable(store, ev);
    case "auth.profile.rotation_cap": return auth.recordRotationCap(store, ev);
    case "auth.state.rewarm": return auth.recordRewarm(store, ev);
    // Sessions, messages, queues, turns
    case "message.queued": return sessions.recordMessageQueued(store, ev);
    case "message.processed": return sessions.recordMessageProcessed(store, ev);
    case "session.state": return sessions.recordSessionState(store, ev);
    case "session.stuck": return sessions.recordSessionStuck(store, ev);
    case "session.long_running": return sessions.recordLongRunning(store, ev);
    case "session.stalled": return sessions.recordStalled(store, ev);
    case "queue.lane.enqueue": return sessions.recordLaneEnqueue(store, ev);
    case "queue.lane.dequeue": return sessions.recordLaneDequeue(store, ev);
    case "queue.lane.wait_exceeded": return sessions.recordWaitExceeded(store, ev);
    case "queue.lane.task_error": return sessions.recordTaskError(store, ev);
    case "tool.loop": return sessions.recordToolLoop(store, ev);
    case "agent.turn.failed": return sessions.recordTurnFailed(store, ev);
    case "agent.turn.completed": return sessions.recordTurnCompleted(store, ev);
    // Channels
    case "webhook.received": return channels.recordWebhookReceived(store, ev);
    case "webhook.processed": return channels.recordWebhookProcessed(store, ev);
    case "webhook.error": return channels.recordWebhookError(store, ev);
    case "channel.telegram.network_error": return channels.recordTelegramError(store, ev);
    case "channel.discord.reconnect": return channels.recordDiscordReconnect(store, ev);
    case "channel.websocket.close": return channels.recordWebsocketClose(store, ev);
    case "channel.health_monitor.restart": return channels.recordHealthRestart(store, ev);
    case "channel.lifecycle": return channels.recordLifecycle(store, ev);
    // The gateway itself
    case "diagnostic.heartbeat": return gateway.recordHeartbeat(store, ev);
    case "diagnostic.liveness.warning": return gateway.recordLiveness(store, ev);
    case "diagnostic.memory.pressure": return gateway.recordMemoryPressure(store, ev);
    case "storage.slow": return gateway.recordStorageSlow(store, ev);
    case "log.loss": return gateway.recordLogLoss(store, ev);
    // A fallback answered: that model's last success, the only one a default-level 9.6 log
    // shows (its failover is counted by model.failover; the incidents read it too).
    case "model.candidate.succeeded": return models.recordCandidateSucceeded(store, ev);
    case "diagnostic.other": return;
    default: {
      const unhandled: never = ev;
      throw new Error(`unhandled event ${(unhandled as { type: string }).type}`);
    }
  }
}
