/**
 * Counters and histograms for the default-level attempt, retry, failed-turn and gateway-health
 * events (derive-attempts.ts; names in catalogue.ts). Reasons are bounded words from the
 * parser; HTTP statuses use the same label rule as openclaw.model.request.
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { MODEL, PROV, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

type AttemptEvent = EventOf<
  "model.call.error" | "model.retry" | "auth.profile.rotation_cap" | "agent.turn.failed" | "storage.slow" | "auth.state.rewarm" | "pricing.fetch_failed"
>;

export function recordAttempt(store: MetricSink, ev: AttemptEvent): void {
  switch (ev.type) {
    case "model.call.error":
      store.add("openclaw.model.call.error", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason, "openclaw.http.status": httpStatusLabel(ev.status) });
      return;
    case "model.retry":
      store.add("openclaw.model.retry", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
      if (ev.delayMs !== undefined) store.observe("openclaw.model.retry.delay", ev.delayMs, { [PROV]: ev.provider ?? U, [REASON]: ev.reason });
      return;
    case "auth.profile.rotation_cap":
      store.add("openclaw.auth.profile.rotation_cap", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U });
      return;
    case "agent.turn.failed":
      store.add("openclaw.agent.turn.failed", 1, { "openclaw.error_code": ev.errorCode, [REASON]: ev.reason });
      return;
    case "storage.slow": {
      const attrs = { "openclaw.kind": ev.kind };
      store.add("openclaw.storage.slow", 1, attrs);
      if (ev.elapsedMs !== undefined) store.observe("openclaw.storage.slow.duration", ev.elapsedMs, attrs);
      if (ev.queueWaitMs !== undefined) store.observe("openclaw.storage.lock_wait", ev.queueWaitMs, attrs);
      return;
    }
    case "auth.state.rewarm":
      store.add("openclaw.auth.rewarm", 1, { [REASON]: ev.reason });
      if (ev.durationMs !== undefined) store.observe("openclaw.auth.rewarm.duration", ev.durationMs, { [REASON]: ev.reason });
      return;
    case "pricing.fetch_failed":
      store.add("openclaw.pricing.fetch.failure", 1, { "openclaw.kind": ev.source });
      return;
  }
}

/** 100-599 as written, any other number "other", none "unknown" (a failed attempt always has a row). */
function httpStatusLabel(status: number | undefined): string {
  if (status === undefined) return U;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}
