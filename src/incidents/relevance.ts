/**
 * Which events can change an incident, for callers that must hold events before feeding them
 * (`report` sorts the log's and the JSONL's events into one time order first). Everything else
 * only needs to be marked as "something was read then" (IncidentBuilder.seen), so a day of
 * debug logs costs the memory of its few interesting events.
 */
import type { EventType, OpenClawEvent } from "../events/types.ts";
import { laneClass } from "./words.ts";

const USED: ReadonlySet<EventType> = new Set<EventType>([
  "model.fetch", "auth.profile.failure", "auth.profile.rotation", "model.failover", "model.failover.surfaced",
  "auth.provider.unavailable", "model.all_failed", "model.usage", "session.stuck", "session.stalled",
  "session.long_running", "queue.lane.wait_exceeded", "diagnostic.heartbeat", "channel.telegram.network_error",
  "channel.discord.reconnect", "channel.websocket.close", "channel.health_monitor.restart", "channel.lifecycle",
  "webhook.error", "log.loss", "model.call.error", "model.candidate.succeeded", "agent.turn.completed",
]);

/**
 * A predicate for one pass over time-ordered events of one source. Lane events matter only
 * above the thresholds, and the first one back under them (it ends the queue incident).
 */
export function relevanceFilter(laneWaitMs = 30_000, queueDepth = 10): (ev: OpenClawEvent) => boolean {
  const deep = new Set<string>();
  return (ev) => {
    if (USED.has(ev.type)) return true;
    switch (ev.type) {
      case "session.state": return ev.state === "idle";
      case "message.processed": return ev.outcome === "completed";
      case "queue.lane.enqueue": case "queue.lane.dequeue": {
        const cls = laneClass(ev.lane);
        const big = ev.queueSize > queueDepth;
        const wasBig = deep.has(cls);
        if (big) deep.add(cls); else deep.delete(cls);
        return big || wasBig || (ev.type === "queue.lane.dequeue" && ev.waitMs > laneWaitMs);
      }
      default: return false;
    }
  };
}
