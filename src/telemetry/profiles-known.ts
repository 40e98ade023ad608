/**
 * openclaw.auth.profiles.known{provider}: how many auth profiles (API keys) the log proves a
 * provider has, so "every profile of the provider is cooling down" needs no guess in a knob.
 * The log never lists a provider's keys; it only shows keys failing and OpenClaw rotating
 * away from one. So:
 *  - a failure-state line: at least as many keys as are in a window now;
 *  - a rotate_profile decision: the failing key (whose window opens on the NEXT line, hence
 *    not counted yet) plus every key already cooling down, plus the one rotated to.
 * Like the active gauges it depends on the order of events (it reads the windows open at the
 * time). The gauge only grows (setMax), and it is checkpointed like every gauge, so what a week of
 * logs proved survives restarts. It can under-count a key that never failed and was never
 * rotated to; the alert then waits for OpenClaw's own "every profile unavailable" line.
 */
import type { MetricStore } from "./metric-store.ts";
import { boundValue } from "./attributes.ts";

const PROV = "openclaw.provider";

/** Keys of the provider in a cooldown or disabled window now (the active index's group counts). */
function inWindow(store: MetricStore, provider: string): number {
  const idx = store.active.cooldownIndex;
  return (idx.group(`${provider}\u0000cooldown`)?.count ?? 0) + (idx.group(`${provider}\u0000disabled`)?.count ?? 0);
}

/** After a failure-state line has opened (or kept) its window. */
export function noteProfileFailure(store: MetricStore, rawProvider: string): void {
  const provider = boundValue(rawProvider);
  store.setMax("openclaw.auth.profiles.known", Math.max(1, inWindow(store, provider)), { [PROV]: provider });
}

/** A rotate_profile decision: OpenClaw moved to another key of the same provider. */
export function noteRotation(store: MetricStore, rawProvider: string): void {
  const provider = boundValue(rawProvider);
  store.setMax("openclaw.auth.profiles.known", inWindow(store, provider) + 2, { [PROV]: provider });
}
