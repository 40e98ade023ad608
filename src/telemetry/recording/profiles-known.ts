/**
 * openclaw.auth.profiles.known{provider}: how many auth profiles (API keys) the log proves a
 * provider has, so "every profile of the provider is cooling down" needs no guess in a knob.
 * The log never lists a provider's keys; it shows keys failing (each opens a window) and
 * OpenClaw rotating away from a failing key to another one. So:
 *  - a failure-state line: at least as many keys as are in a window now;
 *  - a rotate_profile decision away from key X: the keys in a window, X if it is not among
 *    them yet (its window opens on the NEXT line), and the key rotated to, which is neither.
 * Like the active gauges it depends on the order of events. It only grows (setMax) and is
 * checkpointed like every gauge, so what a week of logs proved survives restarts. It can
 * under-count a key that never failed and was never rotated to; the alert then waits for
 * OpenClaw's own "every profile unavailable" line (skip_candidate).
 */
import { opaqueKey } from "../../redact/redact.ts";
import { ocProfile, type MetricSink } from "./metric-sink.ts";
import { cooldownKey, groupKey } from "../storage/active-index.ts";
import { boundValue } from "../naming/attributes.ts";
import { PROV } from "../naming/attribute-keys.ts";

const WINDOWS = ["cooldown", "disabled"] as const;

/** Keys of the provider in a cooldown or disabled window now (the active index's group counts). */
function inWindow(store: MetricSink, provider: string): number {
  const idx = store.active.cooldownIndex;
  return WINDOWS.reduce((n, window) => n + (idx.group(groupKey({ provider, window, ...ocProfile(store) }))?.count ?? 0), 0);
}

/** Whether key `profile` of the provider sits in a window (keys are stored as opaqueKey gives them). */
function isInWindow(store: MetricSink, provider: string, profile: string): boolean {
  const key = opaqueKey(profile);
  return WINDOWS.some((window) => store.active.cooldowns.has(cooldownKey({ provider, window, profile: key, ...ocProfile(store) })));
}

/** After a failure-state line has opened (or kept) its window. */
export function noteProfileFailure(store: MetricSink, rawProvider: string): void {
  const provider = boundValue(rawProvider);
  store.setMax("openclaw.auth.profiles.known", Math.max(1, inWindow(store, provider)), { [PROV]: provider });
}

/** A rotate_profile decision away from `profileId`: OpenClaw moved to another key of the same provider. */
export function noteRotation(store: MetricSink, rawProvider: string, profileId: string | undefined): void {
  const provider = boundValue(rawProvider);
  const from = profileId === undefined || isInWindow(store, provider, profileId) ? 0 : 1;
  // At least 2 whatever the windows say: the key rotated away from and the one rotated to.
  store.setMax("openclaw.auth.profiles.known", Math.max(2, inWindow(store, provider) + from + 1), { [PROV]: provider });
}
