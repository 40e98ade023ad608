/**
 * The two indexes behind active-state.ts, each O(log n) per change whatever its size:
 *  - CooldownIndex: profile windows by key, an expiry min-heap, and per (provider, window)
 *    group a count kept incrementally and a max-heap of ends (the `until` gauge).
 *  - StuckIndex: sessions by key, an expiry min-heap, and a count per kind.
 * Both are bounded: at the limit, the entry closest to its expiry makes room (or the new one is
 * dropped if it would expire first); the caller counts it.
 */
import type { CooldownEntry, StuckEntry } from "./store-state.ts";
import { LazyHeap } from "./lazy-heap.ts";

export interface CooldownGroup {
  readonly key: string;
  readonly provider: string;
  readonly window: CooldownEntry["window"];
  readonly ocProfile: string | undefined;
  count: number;
  readonly ends: LazyHeap;
}

export interface SetResult<C> { evicted: boolean; changed: C }

/**
 * Key of one profile's window, and of its provider+window group (the gauge's series); both
 * within the OpenClaw profile of the gateway (`ocProfile`, absent for the sidecar's default).
 */
const ocPrefix = (oc: string | undefined) => (oc === undefined ? "" : `${oc}\u0002`);
export const cooldownKey = (e: Pick<CooldownEntry, "provider" | "window" | "profile" | "ocProfile">) => `${ocPrefix(e.ocProfile)}${e.provider}\u0000${e.window}\u0000${e.profile}`;
export const groupKey = (e: Pick<CooldownEntry, "provider" | "window" | "ocProfile">) => `${ocPrefix(e.ocProfile)}${e.provider}\u0000${e.window}`;
/** A stuck session's key, and its kind's count key, within its OpenClaw profile. */
export const stuckKey = (e: Pick<StuckEntry, "session" | "ocProfile">) => `${ocPrefix(e.ocProfile)}${e.session}`;
export const stuckCountKey = (e: Pick<StuckEntry, "kind" | "ocProfile">) => `${ocPrefix(e.ocProfile)}${e.kind}`;

/** One kind's count of stuck sessions in one OpenClaw profile (one series of the gauge). */
export interface StuckCount { kind: StuckEntry["kind"]; ocProfile: string | undefined; n: number }

export class CooldownIndex {
  readonly entries = new Map<string, CooldownEntry>();
  private readonly groups = new Map<string, CooldownGroup>();
  private readonly isLive = (it: { at: number; key: string }) => this.entries.get(it.key)?.untilMs === it.at;
  private readonly queue = new LazyHeap("min", this.isLive);

  group(key: string): CooldownGroup | undefined { return this.groups.get(key); }

  latestEnd(key: string): number | undefined { return this.groups.get(key)?.ends.peek()?.at; }

  /** Sets (or moves) a window; returns the groups whose gauges changed. */
  set(entry: CooldownEntry, limit: number): SetResult<string[]> {
    const key = cooldownKey(entry);
    const old = this.entries.get(key);
    if (old?.untilMs === entry.untilMs) return { evicted: false, changed: [] };
    const changed: string[] = [];
    let evicted = false;
    if (old === undefined && this.entries.size >= limit) {
      evicted = true;
      const soonest = this.queue.peek();
      if (soonest === undefined || soonest.at > entry.untilMs) return { evicted, changed };
      changed.push(this.remove(soonest.key));
    }
    this.entries.set(key, entry);
    const gk = groupKey(entry);
    let g = this.groups.get(gk);
    if (g === undefined) {
      g = { key: gk, provider: entry.provider, window: entry.window, ocProfile: entry.ocProfile, count: 0, ends: new LazyHeap("max", this.isLive) };
      this.groups.set(gk, g);
    }
    if (old === undefined) g.count++;
    this.queue.push(entry.untilMs, key);
    g.ends.push(entry.untilMs, key);
    this.queue.compactIfNeeded(this.entries.size);
    g.ends.compactIfNeeded(g.count);
    if (!changed.includes(gk)) changed.push(gk);
    return { evicted, changed };
  }

  /** Removes every window ended by `clockMs`; returns the groups that changed. */
  expireUntil(clockMs: number): string[] {
    const changed = new Set<string>();
    for (let top = this.queue.peek(); top !== undefined && top.at <= clockMs; top = this.queue.peek()) {
      this.queue.pop();
      changed.add(this.remove(top.key));
    }
    return [...changed];
  }

  /** Forgets an empty group once its gauge has gone to 0 (providers seen once do not pile up). */
  dropIfEmpty(key: string): void {
    if (this.groups.get(key)?.count === 0) this.groups.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.groups.clear();
    this.queue.clear();
  }

  private remove(key: string): string {
    const e = this.entries.get(key) as CooldownEntry;
    this.entries.delete(key);
    const gk = groupKey(e);
    const g = this.groups.get(gk) as CooldownGroup;
    g.count--;
    if (g.count === 0) g.ends.clear();
    return gk;
  }
}

export class StuckIndex {
  readonly entries = new Map<string, StuckEntry>();
  /** Every kind seen keeps its count, 0 included: a gauge that was reported goes to 0. */
  readonly counts = new Map<string, StuckCount>();
  private readonly queue: LazyHeap;
  private readonly expiryMs: number;

  constructor(expiryMs: number) {
    this.expiryMs = expiryMs;
    this.queue = new LazyHeap("min", (it) => {
      const e = this.entries.get(it.key);
      return e !== undefined && e.lastWarningMs + this.expiryMs === it.at;
    });
  }

  /** Returns whether a count changed. */
  set(entry: StuckEntry, limit: number): SetResult<boolean> {
    const key = stuckKey(entry);
    const old = this.entries.get(key);
    let evicted = false;
    if (old === undefined && this.entries.size >= limit) {
      evicted = true;
      const soonest = this.queue.peek();
      if (soonest === undefined || soonest.at > entry.lastWarningMs + this.expiryMs) return { evicted, changed: false };
      this.delete(soonest.key);
    }
    this.entries.set(key, entry);
    if (old === undefined || old.lastWarningMs !== entry.lastWarningMs) this.queue.push(entry.lastWarningMs + this.expiryMs, key);
    this.queue.compactIfNeeded(this.entries.size);
    if (old?.kind === entry.kind) return { evicted, changed: false };
    if (old !== undefined) this.bump(old, -1);
    this.bump(entry, 1);
    return { evicted, changed: true };
  }

  /** `key` as stuckKey gives it. */
  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (e === undefined) return false;
    this.entries.delete(key);
    this.bump(e, -1);
    return true;
  }

  /** Removes every session whose last warning is older than the expiry at `clockMs`. */
  expireUntil(clockMs: number): string[] {
    const gone: string[] = [];
    for (let top = this.queue.peek(); top !== undefined && top.at <= clockMs; top = this.queue.peek()) {
      this.queue.pop();
      this.delete(top.key);
      gone.push(top.key);
    }
    return gone;
  }

  clear(): void {
    this.entries.clear();
    this.counts.clear();
    this.queue.clear();
  }

  private bump(e: StuckEntry, d: number): void {
    const key = stuckCountKey(e);
    const c = this.counts.get(key);
    if (c === undefined) this.counts.set(key, { kind: e.kind, ocProfile: e.ocProfile, n: d });
    else c.n += d;
  }
}
