/**
 * `openclaw.gateway.verdict` and `.since` from the page's verdict (serving/gateway-verdict.ts),
 * set by the run loop once per poll. One series per (state, reason kind) this sidecar has
 * shown: 1 for the current one, 0 for every other, never removed. A removed series would live
 * on where the sidecar pushes: a Collector's Prometheus exporter keeps it for its expiry (5 min)
 * and a remote-written one stays in the query lookback, both at its last value, 1, so a fleet
 * table would show two states at once. Set to 0 instead, `== 1` is always the one state. Bounded:
 * four states times some fifteen kinds, a handful in practice; kept across restarts.
 * `.since` is 0 while the state is unknown (the page shows no since then).
 */
import type { VerdictState } from "../../incidents/index.ts";
import { REASON } from "../naming/attribute-keys.ts";
import type { MetricStore } from "../storage/metric-store.ts";

const STATE = "openclaw.state";

export function recordVerdict(store: MetricStore, v: { state: VerdictState; kind: string; since: number | null }): void {
  const m = store.listMetrics().find((x) => x.def.name === "openclaw.gateway.verdict");
  for (const s of m?.series.values() ?? []) {
    if (s.attrs[STATE] !== v.state || s.attrs[REASON] !== v.kind) s.value = 0;
  }
  store.set("openclaw.gateway.verdict", 1, { [STATE]: v.state, [REASON]: v.kind });
  store.set("openclaw.gateway.verdict.since", v.since === null ? 0 : v.since / 1000);
}
