/**
 * The gateway process itself: heartbeat queue depth (upstream's), liveness warnings, memory
 * pressure, slow storage, and log records OpenClaw says it lost.
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { CH } from "../naming/attribute-keys.ts";

const U = "unknown";

export function recordHeartbeat(store: MetricSink, ev: EventOf<"diagnostic.heartbeat">): void {
  store.observe("openclaw.queue.depth", ev.queued, { [CH]: "heartbeat" });
}

export function recordLiveness(store: MetricSink, ev: EventOf<"diagnostic.liveness.warning">): void {
  const reasons = ev.reasons.length > 0 ? ev.reasons : [U];
  for (const reason of reasons) store.add("openclaw.liveness.warning", 1, { "openclaw.liveness.reason": reason });
}

export function recordMemoryPressure(store: MetricSink, ev: EventOf<"diagnostic.memory.pressure">): void {
  store.add("openclaw.memory.pressure", 1, { "openclaw.memory.level": ev.level, "openclaw.memory.reason": ev.reason });
}

export function recordStorageSlow(store: MetricSink, ev: EventOf<"storage.slow">): void {
  const attrs = { "openclaw.kind": ev.kind };
  store.add("openclaw.storage.slow", 1, attrs);
  if (ev.elapsedMs !== undefined) store.observe("openclaw.storage.slow.duration", ev.elapsedMs, attrs);
  if (ev.queueWaitMs !== undefined) store.observe("openclaw.storage.lock_wait", ev.queueWaitMs, attrs);
}

export function recordLogLoss(store: MetricSink, ev: EventOf<"log.loss">): void {
  const attrs = { "openclaw.kind": ev.kind };
  store.add("openclaw.log.loss", 1, attrs);
  if (typeof ev.dropped === "number" && ev.dropped > 0) store.add("openclaw.log.dropped", ev.dropped, attrs);
}
