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
 *
 * Cost: the log decides how many entries there are, so nothing here may walk them per event.
 * Expiry is a min-heap keyed by expiry time (lazy deletion), the per-group counts are kept
 * incrementally, and each map holds at most MAX_ACTIVE_ENTRIES (the entry closest to its
 * expiry is evicted and counted in openclaw.sidecar.series.dropped{openclaw.metric=<gauge>}).
 *
 * The clock only moves forward, so one line dated far ahead would switch the gauges off for
 * good: a time more than FUTURE_TOLERANCE_MS ahead of the wall clock never moves it (the parser
 * already rejects such lines; this is the last guard), and a checkpoint holding one is repaired
 * on restore. Past times are fine: a replay of old files legitimately reads them. When the
 * wall clock itself steps back, `run` re-bases the clock (rebaseClock, src/wall-clock.ts).
 */
import { opaqueKey } from "../../redact/redact.ts";
import { FUTURE_TOLERANCE_MS } from "../../events/time-guard.ts";
import type { RawAttrs } from "../naming/attributes.ts";
import type { MetricName } from "../naming/catalogue.ts";
import { CooldownIndex, groupKey, stuckCountKey, stuckKey, StuckIndex } from "./active-index.ts";
import { PROFILE } from "../naming/attribute-keys.ts";
import type { CooldownEntry, MetricState, StoreState, StuckEntry } from "./store-state.ts";

export const STUCK_EXPIRY_MS = 30 * 60_000;
export const MAX_ACTIVE_ENTRIES = 10_000;
export { FUTURE_TOLERANCE_MS };
/** Longest window kept: the longest ladder step is 24 h; a later end is a bogus line. */
export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

export interface ActiveState {
  eventClockMs: number;
  readonly cooldowns: ReadonlyMap<string, CooldownEntry>;
  readonly stuck: ReadonlyMap<string, StuckEntry>;
  /**
   * "Now" for the future guard (tests pass a fixed one): the wall clock, or in `run` after the
   * wall clock stepped back, the latest time it showed (src/wall-clock.ts guardNow).
   */
  wallClock: () => number;
  /**
   * Latest time the clock may move to: the wall clock + FUTURE_TOLERANCE_MS, less while the wall
   * clock is behind a time it already showed (a step back: src/wall-clock.ts).
   */
  clockLimit: () => number;
  limit: number;
  readonly cooldownIndex: CooldownIndex;
  readonly stuckIndex: StuckIndex;
}

/**
 * The store that holds the active state, as seen from here (MetricStore is one): the gauges are
 * written through it. An interface rather than the class, so the store can own this state
 * without the two modules importing each other.
 */
export interface GaugeStore {
  readonly active: ActiveState;
  add(name: MetricName, value: number, attrs?: RawAttrs): void;
  set(name: MetricName, value: number, attrs?: RawAttrs): void;
  removeGauge(name: MetricName, attrs?: RawAttrs): void;
  listMetrics(): MetricState[];
}

export function newActiveState(wallClock: () => number = Date.now, limit = MAX_ACTIVE_ENTRIES, clockLimit?: () => number): ActiveState {
  const cooldownIndex = new CooldownIndex();
  const stuckIndex = new StuckIndex(STUCK_EXPIRY_MS);
  return {
    eventClockMs: 0, cooldowns: cooldownIndex.entries, stuck: stuckIndex.entries, wallClock, limit, cooldownIndex, stuckIndex,
    clockLimit: clockLimit ?? (() => wallClock() + FUTURE_TOLERANCE_MS),
  };
}

const byKey = <T>(x: [string, T], y: [string, T]) => (x[0] < y[0] ? -1 : 1);

export function snapshotActive(a: ActiveState): StoreState["active"] {
  return {
    eventClockMs: a.eventClockMs,
    cooldowns: [...a.cooldowns.entries()].sort(byKey).map(([, e]) => ({ ...e })),
    stuck: [...a.stuck.entries()].sort(byKey).map(([, e]) => ({ ...e })),
  };
}

/**
 * Replaces the active state with a saved one and recomputes the gauges from it. A clock saved
 * far in the future (a bogus line read by an older version) is set back to the wall clock, and
 * entries only such a line could have made are dropped: otherwise the gauges stay off for good.
 */
export function restoreActive(store: GaugeStore, saved: StoreState["active"]): void {
  const a = store.active;
  const limitAt = a.wallClock() + FUTURE_TOLERANCE_MS;
  a.eventClockMs = saved.eventClockMs > a.clockLimit() ? Math.min(a.wallClock(), a.clockLimit()) : saved.eventClockMs;
  a.cooldownIndex.clear();
  a.stuckIndex.clear();
  for (const e of saved.cooldowns) {
    // Keys as new entries get them: a checkpoint of an older version may hold raw secrets.
    if (e.untilMs <= limitAt + MAX_WINDOW_MS) insertCooldown(store, { ...e, profile: opaqueKey(e.profile) });
  }
  for (const e of saved.stuck) {
    if (e.lastWarningMs <= limitAt) insertStuck(store, { ...e, session: opaqueKey(e.session) });
  }
  expire(store);
  zeroGroupsWithoutEntries(store);
}

/** Restored gauges whose entries were dropped (repair, bound) must not stay up. Once per restore. */
function zeroGroupsWithoutEntries(store: GaugeStore): void {
  const a = store.active;
  for (const m of store.listMetrics()) {
    if (m.def.name === "openclaw.auth.cooldown.active") {
      for (const s of [...m.series.values()]) {
        const key = groupKey({ provider: s.attrs["openclaw.provider"] as string, window: s.attrs["openclaw.window"] as CooldownEntry["window"], ...ocOf(s.attrs) });
        if (a.cooldownIndex.group(key) !== undefined || s.value === 0) continue;
        store.set("openclaw.auth.cooldown.active", 0, s.attrs);
        store.removeGauge("openclaw.auth.cooldown.until", s.attrs);
      }
    } else if (m.def.name === "openclaw.session.stuck.active") {
      for (const s of [...m.series.values()]) {
        const kind = s.attrs["openclaw.kind"] as StuckEntry["kind"];
        if (!a.stuckIndex.counts.get(stuckCountKey({ kind, ...ocOf(s.attrs) }))?.n) store.set("openclaw.session.stuck.active", 0, s.attrs);
      }
    }
  }
}

/** Moves the event clock forward (never back, never far past the wall clock) and expires what ended. */
export function advanceClock(store: GaugeStore, nowMs: number): void {
  const a = store.active;
  if (nowMs > a.eventClockMs && nowMs <= a.clockLimit()) a.eventClockMs = nowMs;
  expire(store);
}

/**
 * The one way back: the wall clock stepped back (src/wall-clock.ts), so the clock moves to the
 * new timeline's `nowMs`, or new windows and warnings, dated on it, would count as already
 * over. Nothing expires; entries dated on the old timeline end when the new one reaches their
 * time, as they do in the gateway, whose own clock stepped back too.
 */
export function rebaseClock(store: GaugeStore, nowMs: number): void {
  const a = store.active;
  if (a.eventClockMs > nowMs) a.eventClockMs = nowMs;
}

function expire(store: GaugeStore): void {
  const a = store.active;
  for (const g of a.cooldownIndex.expireUntil(a.eventClockMs)) setCooldownGauge(store, g);
  if (a.stuckIndex.expireUntil(a.eventClockMs).length > 0) setStuckGauges(store);
}

/** A profile entered (or re-entered) a window ending at untilMs. */
export function openWindow(store: GaugeStore, entry: CooldownEntry): void {
  const a = store.active;
  if (entry.untilMs <= a.eventClockMs) return;
  // An end years ahead (a bogus line) would hold a slot and the gauge up until evicted.
  // The profile id is only a key, but it goes into the checkpoint: never as a credential.
  insertCooldown(store, { ...entry, profile: opaqueKey(entry.profile), untilMs: Math.min(entry.untilMs, a.eventClockMs + MAX_WINDOW_MS) });
}

function insertCooldown(store: GaugeStore, entry: CooldownEntry): void {
  const { cooldownIndex: idx, limit } = store.active;
  const r = idx.set(entry, limit);
  if (r.evicted) countEviction(store, "openclaw.auth.cooldown.active");
  for (const g of r.changed) setCooldownGauge(store, g);
}

export function markStuck(store: GaugeStore, session: string, kind: StuckEntry["kind"], ts: number, ocProfile?: string): void {
  // A warning that expired before the clock got here (read late) says nothing about now.
  if (ts + STUCK_EXPIRY_MS <= store.active.eventClockMs) return;
  insertStuck(store, { session: opaqueKey(session), kind, lastWarningMs: ts, ...(ocProfile === undefined ? {} : { ocProfile }) });
}

function insertStuck(store: GaugeStore, entry: StuckEntry): void {
  const { stuckIndex: idx, limit } = store.active;
  const r = idx.set(entry, limit);
  if (r.evicted) countEviction(store, "openclaw.session.stuck.active");
  if (r.changed) setStuckGauges(store);
}

export function clearStuck(store: GaugeStore, session: string, ocProfile?: string): void {
  if (store.active.stuckIndex.delete(stuckKey({ session: opaqueKey(session), ocProfile }))) setStuckGauges(store);
}

function countEviction(store: GaugeStore, gauge: string): void {
  store.add("openclaw.sidecar.series.dropped", 1, { "openclaw.metric": gauge });
}

/** One group's gauges; a group that empties reports 0, and its end time goes (none is open). */
function setCooldownGauge(store: GaugeStore, groupKey: string): void {
  const g = store.active.cooldownIndex.group(groupKey);
  if (g === undefined) return;
  const attrs = { "openclaw.provider": g.provider, "openclaw.window": g.window, [PROFILE]: g.ocProfile };
  store.set("openclaw.auth.cooldown.active", g.count, attrs);
  const latest = g.count > 0 ? store.active.cooldownIndex.latestEnd(groupKey) : undefined;
  if (latest === undefined) store.removeGauge("openclaw.auth.cooldown.until", attrs);
  else store.set("openclaw.auth.cooldown.until", latest / 1000, attrs);
  store.active.cooldownIndex.dropIfEmpty(groupKey);
}

/** Two kinds only: setting both is constant work. */
function setStuckGauges(store: GaugeStore): void {
  for (const c of store.active.stuckIndex.counts.values()) store.set("openclaw.session.stuck.active", c.n, { "openclaw.kind": c.kind, [PROFILE]: c.ocProfile });
}

/** The entry fields of a gauge series' OpenClaw profile (none for the default's series). */
function ocOf(attrs: Readonly<Record<string, string>>): { ocProfile?: string } {
  const oc = attrs[PROFILE];
  return oc === undefined ? {} : { ocProfile: oc };
}
