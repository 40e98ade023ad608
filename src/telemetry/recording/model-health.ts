/**
 * Model health as the log shows it, per provider and model: when a request last succeeded
 * and last failed (Unix-second gauges, like upstream's timestamps), and how many failed in a
 * row since the last success. Successes come from `[model-fetch]` 2xx lines (7.x at info,
 * 9.6 only at debug), the plugin's model.usage and a fallback decision's candidate_succeeded
 * (every level); where the input shows none, the
 * last-success gauge stays absent, which dashboards and the page show as "unknown", never 0.
 */
import type { MetricSink } from "./metric-sink.ts";
import { MODEL, PROV } from "../naming/attribute-keys.ts";


export function noteModelOutcome(store: MetricSink, provider: string | undefined, model: string | undefined, ok: boolean, ts: number): void {
  const attrs = { [PROV]: provider ?? "unknown", [MODEL]: model ?? "unknown" };
  if (ok) {
    store.setMax("openclaw.model.last_success", ts / 1000, attrs);
    store.set("openclaw.model.consecutive_failures", 0, attrs);
  } else {
    store.setMax("openclaw.model.last_failure", ts / 1000, attrs);
    store.addToGauge("openclaw.model.consecutive_failures", 1, attrs);
  }
}
