/**
 * Which events can change an incident, for callers that must hold events before feeding them
 * (`report` sorts the log's and the JSONL's events into one time order first). Everything else
 * only needs to be marked as "something was read then" (IncidentBuilder.seen), so a day of
 * debug logs costs the memory of its few interesting events.
 */
import type { EventType, OpenClawEvent } from "../events/types.ts";
import { OTHER_READS } from "./other-track.ts";
import { PROVIDER_READS } from "./provider-track.ts";
import { SUCCESS_READS } from "./provider-success.ts";
import { LANE_WAIT_MS, QUEUE_DEPTH } from "./thresholds.ts";
import { laneClass } from "./words.ts";

/** What the trackers read in every case (each declares its list), and the heartbeat the builder counts. */
const USED: ReadonlySet<EventType> = new Set<EventType>([...PROVIDER_READS, ...SUCCESS_READS, ...OTHER_READS, "diagnostic.heartbeat"]);

/**
 * A predicate for one pass over time-ordered events of one source. Lane events matter only
 * above the thresholds, and the first one back under them (it ends the queue incident).
 */
export function relevanceFilter(laneWaitMs = LANE_WAIT_MS, queueDepth = QUEUE_DEPTH): (ev: OpenClawEvent) => boolean {
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
