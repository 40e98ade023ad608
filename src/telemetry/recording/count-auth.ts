/**
 * Auth profiles: rotations, failures and the cooldown or disabled windows they open, a
 * provider with no usable profile, the rotation cap, auth-state re-warms. Profile ids stay in
 * the active state (the local checkpoint) and the known-profiles tally, never in a label.
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { ocProfile } from "./metric-sink.ts";
import { openWindow } from "../storage/active-state.ts";
import { boundValue } from "../naming/attributes.ts";
import { noteProfileFailure, noteRotation } from "./profiles-known.ts";
import { MODEL, PROV, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

/** Until we know better, a window with no end in its line: the longest step of each ladder. */
const FALLBACK_WINDOW_MS = { cooldown: 5 * 60_000, disabled: 24 * 3_600_000 } as const;

export function recordRotation(store: MetricSink, ev: EventOf<"auth.profile.rotation">): void {
  store.add("openclaw.auth.profile.rotation", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U, [REASON]: ev.reason });
  noteRotation(store, ev.provider ?? U, ev.profileId);
}

export function recordProfileFailure(store: MetricSink, ev: EventOf<"auth.profile.failure">): void {
  const window = ev.windowType;
  const attrs = { [PROV]: ev.provider, [REASON]: ev.reason, "openclaw.window": window };
  const until = (window === "cooldown" ? ev.cooldownUntil : ev.disabledUntil) ?? ev.ts + FALLBACK_WINDOW_MS[window];
  if (!ev.windowReused) {
    store.add("openclaw.auth.window.opened", 1, attrs);
    if (until > ev.ts) store.observe("openclaw.auth.cooldown.length", until - ev.ts, attrs);
  }
  // The provider is stored already bounded so two raw spellings of "unknown" share a group.
  openWindow(store, { provider: boundValue(ev.provider), window, profile: ev.profileId ?? U, untilMs: until, ...ocProfile(store) });
  noteProfileFailure(store, ev.provider);
}

export function recordProviderUnavailable(store: MetricSink, ev: EventOf<"auth.provider.unavailable">): void {
  store.add("openclaw.auth.provider.unavailable", 1, { [PROV]: ev.provider, [REASON]: ev.reason ?? U });
}

export function recordRotationCap(store: MetricSink, ev: EventOf<"auth.profile.rotation_cap">): void {
  store.add("openclaw.auth.profile.rotation_cap", 1, { [PROV]: ev.provider ?? U, [MODEL]: ev.model ?? U });
}

export function recordRewarm(store: MetricSink, ev: EventOf<"auth.state.rewarm">): void {
  store.add("openclaw.auth.rewarm", 1, { [REASON]: ev.reason });
  if (ev.durationMs !== undefined) store.observe("openclaw.auth.rewarm.duration", ev.durationMs, { [REASON]: ev.reason });
}
