/**
 * State behind the two "currently active" gauges, which no single event can set:
 *  - openclaw.auth.cooldown.active{provider, window}: auth profiles inside a cooldown or
 *    disabled window; each entry expires at its cooldownUntil/disabledUntil.
 *  - openclaw.session.stuck.active{kind}: sessions last reported stuck/stalled; an entry is
 *    cleared by a session.state for the same session that leaves `processing`, or 30 min after
 *    its last warning (diagnostics back off, so silence does not mean recovery at once).
 * Profile and session ids are keys here only; gauges carry provider/window/kind.
 * Expiry runs on the event clock (the newest event ts seen), never on the wall clock, so a
 * replay of the same lines always ends with the same gauges. The sidecar may also call
 * advanceClock() with wall time while following, so windows expire without new events.
 */
import type { MetricStore } from "./metric-store.ts";
import type { CooldownEntry, StoreState, StuckEntry } from "./store-state.ts";

export const STUCK_EXPIRY_MS = 30 * 60_000;

export interface ActiveState {
  eventClockMs: number;
  readonly cooldowns: Map<string, CooldownEntry>;
  readonly stuck: Map<string, StuckEntry>;
}

export function newActiveState(): ActiveState {
  return { eventClockMs: 0, cooldowns: new Map(), stuck: new Map() };
}

const cooldownKey = (e: CooldownEntry) => `${e.provider}\u0000${e.window}\u0000${e.profile}`;

export function snapshotActive(a: ActiveState): StoreState["active"] {
  return {
    eventClockMs: a.eventClockMs,
    cooldowns: [...a.cooldowns.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([, e]) => ({ ...e })),
    stuck: [...a.stuck.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([, e]) => ({ ...e })),
  };
}

export function restoreActive(a: ActiveState, saved: StoreState["active"]): void {
  a.eventClockMs = saved.eventClockMs;
  a.cooldowns.clear();
  a.stuck.clear();
  for (const e of saved.cooldowns) a.cooldowns.set(cooldownKey(e), { ...e });
  for (const e of saved.stuck) a.stuck.set(e.session, { ...e });
}

/** Moves the event clock forward (never back) and expires what ended by then. */
export function advanceClock(store: MetricStore, nowMs: number): void {
  const a = store.active;
  if (nowMs > a.eventClockMs) a.eventClockMs = nowMs;
  let cooldownChanged = false;
  for (const [key, e] of a.cooldowns) {
    if (e.untilMs <= a.eventClockMs) { a.cooldowns.delete(key); cooldownChanged = true; }
  }
  let stuckChanged = false;
  for (const [key, e] of a.stuck) {
    if (e.lastWarningMs + STUCK_EXPIRY_MS <= a.eventClockMs) { a.stuck.delete(key); stuckChanged = true; }
  }
  if (cooldownChanged) refreshCooldownGauge(store);
  if (stuckChanged) refreshStuckGauge(store);
}

/** A profile entered (or re-entered) a window ending at untilMs. */
export function openWindow(store: MetricStore, entry: CooldownEntry): void {
  const a = store.active;
  if (entry.untilMs <= a.eventClockMs) return;
  a.cooldowns.set(cooldownKey(entry), { ...entry });
  refreshCooldownGauge(store);
}

export function markStuck(store: MetricStore, session: string, kind: StuckEntry["kind"], ts: number): void {
  store.active.stuck.set(session, { session, kind, lastWarningMs: ts });
  refreshStuckGauge(store);
}

export function clearStuck(store: MetricStore, session: string): void {
  if (store.active.stuck.delete(session)) refreshStuckGauge(store);
}

/** Recounts per group; groups that were reported before and are now empty go to 0. */
function refreshCooldownGauge(store: MetricStore): void {
  const counts = new Map<string, { provider: string; window: string; n: number; untilMs: number }>();
  for (const e of store.active.cooldowns.values()) {
    const k = `${e.provider}\u0000${e.window}`;
    const c = counts.get(k) ?? { provider: e.provider, window: e.window, n: 0, untilMs: 0 };
    c.n++;
    c.untilMs = Math.max(c.untilMs, e.untilMs);
    counts.set(k, c);
  }
  for (const attrs of reportedGroups(store, "openclaw.auth.cooldown.active")) {
    store.set("openclaw.auth.cooldown.active", 0, attrs);
  }
  // An end time only makes sense while a window is open: closed ones lose their series.
  for (const attrs of reportedGroups(store, "openclaw.auth.cooldown.until")) {
    store.removeGauge("openclaw.auth.cooldown.until", attrs);
  }
  for (const c of counts.values()) {
    const attrs = { "openclaw.provider": c.provider, "openclaw.window": c.window };
    store.set("openclaw.auth.cooldown.active", c.n, attrs);
    store.set("openclaw.auth.cooldown.until", c.untilMs / 1000, attrs);
  }
}

function refreshStuckGauge(store: MetricStore): void {
  const counts = new Map<string, number>();
  for (const e of store.active.stuck.values()) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  for (const attrs of reportedGroups(store, "openclaw.session.stuck.active")) store.set("openclaw.session.stuck.active", 0, attrs);
  for (const [kind, n] of counts) store.set("openclaw.session.stuck.active", n, { "openclaw.kind": kind });
}

function reportedGroups(store: MetricStore, name: string): Record<string, string>[] {
  const m = store.listMetrics().find((x) => x.def.name === name);
  return m ? [...m.series.values()].map((s) => s.attrs) : [];
}
