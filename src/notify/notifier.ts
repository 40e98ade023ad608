/**
 * When to tell: after each poll the notifier compares the incident model's ongoing incidents
 * with what it has told, and composes at most one message for everything that changed:
 * - an incident opening (then nothing more until something new: a fallback to a target not yet
 *   named, a profile put in a cooldown or disabled window, the per-provider reasons);
 * - a reminder when it is still going on after the repeat interval;
 * - its end (with how long it lasted), once.
 * A change waits `groupWaitMs` before it goes, so a burst (a 429 storm that opens rate_limit,
 * then every-model-failing a second later) is one message. Incidents whose last evidence is
 * older than MAX_AGE_MS by the wall clock are history (a replay of old files): never told.
 */
import type { NotifyConfig } from "../config/notify.ts";
import type { Incident } from "../incidents/index.ts";
import { factsOf, itemOf, noteOf, SEVERITY_RANK, severityOf, tellable, type Change, type Note, type NoteItem } from "./note.ts";
import { SELF_KINDS, type IncidentSource } from "./self-trouble.ts";
import { checkNotifierState, MAX_ENTRIES, type Entry, type NotifierState } from "./notifier-state.ts";

/** Older than this (wall clock) at first sight: history, not news. */
export const MAX_AGE_MS = 60 * 60_000;
/** An ended incident that may come back is told as ended once it stayed away this long. */
export const END_HOLD_MS = 10 * 60_000;
/** Items in one message at most; the rest go in the next one. */
const MAX_ITEMS = 20;
/** A told incident's entry is kept this long after its end (to tell a reopening from a new one). */
const KEEP_RESOLVED_MS = 24 * 60 * 60_000;

export type { IncidentSource };

const idOf = (inc: Incident) => `${inc.key}@${inc.start}`;

interface Pending { inc: Incident; change: Change; facts: string[]; keys: string[] }

export class Notifier {
  private entries = new Map<string, Entry>();
  /** Incidents seen ongoing and not told yet: if they end within the group wait, their end is told. */
  private readonly waiting = new Set<string>();
  /** Ended incidents whose end is held (held()), with the wall time the end was first seen. */
  private readonly endSeen = new Map<string, number>();
  private batchSince: number | undefined;
  private seq = 0;
  private readonly cfg: NotifyConfig;
  private readonly host: string;
  private readonly wall: () => number;

  constructor(cfg: NotifyConfig, host: string, wall: () => number = Date.now) {
    this.cfg = cfg;
    this.host = host;
    this.wall = wall;
  }

  /** After each poll: a message to send, or undefined (nothing new, or still in the group wait). */
  tick(source: IncidentSource): Note | undefined {
    const now = this.wall();
    let pending = this.changes(source, now);
    if (pending.length === 0) { this.batchSince = undefined; return undefined; }
    this.batchSince ??= now;
    if (now - this.batchSince < this.cfg.groupWaitMs) return undefined;
    this.batchSince = undefined;
    // Quiet hours: only critical goes now; the rest stays pending (nothing recorded) until they end.
    if (this.quiet(now)) pending = pending.filter((p) => severityOf(p.inc) === "critical");
    if (pending.length === 0) return undefined;
    pending.sort((a, b) => SEVERITY_RANK[severityOf(b.inc)] - SEVERITY_RANK[severityOf(a.inc)] || a.inc.start - b.inc.start);
    const told = pending.slice(0, MAX_ITEMS);
    // More than one message's worth: the rest go at the next poll, without another wait.
    if (pending.length > told.length) this.batchSince = now - this.cfg.groupWaitMs;
    const items: NoteItem[] = told.map((p) => itemOf(p.inc, p.change, p.facts));
    for (const p of told) this.record(p, now);
    this.prune(now);
    return noteOf(`${now}-${++this.seq}`, now, this.host, items, this.cfg.pageUrl);
  }

  /** A message of items that are not incidents (budget steps, the digest), numbered like the rest. */
  noteOf(items: NoteItem[]): Note {
    const now = this.wall();
    return noteOf(`${now}-${++this.seq}`, now, this.host, items, this.cfg.pageUrl);
  }

  /** Quiet hours now (config.quietHours, local time): only critical goes. */
  quiet(now: number): boolean {
    const q = this.cfg.quietHours;
    if (q === undefined) return false;
    const d = new Date(now);
    const m = d.getHours() * 60 + d.getMinutes();
    return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
  }

  /** A message for `notify test`: the same path and formats, saying it is a test. */
  testNote(): Note {
    const now = this.wall();
    const item: NoteItem = { change: "test", kind: "test", severity: "info", subject: "sidecar", head: "test message from the OpenClaw sidecar",
      start: now, text: "If you read this, notifications reach this chat. Nothing is wrong.", facts: [] };
    return noteOf(`${now}-test`, now, this.host, [item], this.cfg.pageUrl);
  }

  private changes(source: IncidentSource, now: number): Pending[] {
    const out: Pending[] = [];
    const seen = new Set<string>();
    const ongoing = source.ongoing();
    for (const inc of ongoing) this.follow(inc, ongoing);
    for (const inc of ongoing) {
      const id = idOf(inc);
      seen.add(id);
      this.endSeen.delete(id);
      const e = this.entries.get(id);
      const facts = factsOf(inc);
      if (e === undefined || e.phase === "resolved") {
        // A resolved incident that came back (the builder reopens one within its quiet period) is told again.
        // Age is judged at first sight: one held back (group wait, quiet hours) is not history later.
        if (!tellable(inc, this.cfg.minSeverity) || (e === undefined && !this.waiting.has(id) && now - inc.last > MAX_AGE_MS)) continue;
        this.waiting.add(id);
        out.push({ inc, change: "opened", facts: [...facts.values()], keys: [...facts.keys()] });
        continue;
      }
      const fresh = [...facts.keys()].filter((k) => !e.told.includes(k));
      if (fresh.length > 0) out.push({ inc, change: "update", facts: fresh.map((k) => facts.get(k)!), keys: fresh });
      else if (now - e.lastSentAt >= this.cfg.repeatIntervalMs) out.push({ inc, change: "still", facts: [...facts.values()], keys: [] });
    }
    const ended = [...this.entries.values()].filter((e) => e.phase === "told" && !seen.has(e.id)).map((e) => e.id);
    const unseenWaiting = [...this.waiting].filter((id) => !seen.has(id));
    if (ended.length + unseenWaiting.length === 0) return out;
    const byId = new Map(source.incidents().map((i) => [idOf(i), i]));
    for (const id of [...ended, ...unseenWaiting]) {
      const inc = byId.get(id);
      // One never told (it ended within the group wait) is told now, once, as ended: holding it
      // would tell the person nothing for ten minutes, or nothing at all if the sidecar stops.
      const told = this.entries.get(id)?.phase === "told";
      if (inc?.end !== undefined) { if (!told || !this.held(id, inc, now)) out.push({ inc, change: "resolved", facts: [...factsOf(inc).values()], keys: [] }); }
      else if (inc === undefined) { this.entries.delete(id); this.waiting.delete(id); this.endSeen.delete(id); }
    }
    return out;
  }

  /**
   * An earlier line read late (the other source, a slow file) moves an incident's start, and so
   * its id: the told entry of the same key, whose id no longer matches anything ongoing, is
   * that incident, not a new one to tell again.
   */
  private follow(inc: Incident, ongoing: Incident[]): void {
    const id = idOf(inc);
    if (this.entries.has(id)) return;
    for (const [old, e] of this.entries) {
      if (e.phase !== "told" || old.slice(0, old.lastIndexOf("@")) !== inc.key || ongoing.some((o) => idOf(o) === old)) continue;
      this.entries.delete(old);
      this.entries.set(id, { ...e, id });
      return;
    }
  }

  /**
   * The builder reopens an ended incident when its trouble comes back soon (a rate limit between
   * two turns): its end is told once it stayed away END_HOLD_MS, so a storm with pauses is not a
   * string of "resolved" and "opened" pairs. Every model failing, silences and the sidecar's own trouble never reopen.
   */
  private held(id: string, inc: Incident, now: number): boolean {
    if (inc.kind === "all_models_failed" || inc.kind === "gap" || SELF_KINDS.has(inc.kind)) return false;
    const since = this.endSeen.get(id) ?? now;
    this.endSeen.set(id, since);
    return now - since < END_HOLD_MS;
  }

  private record(p: Pending, now: number): void {
    const id = idOf(p.inc);
    this.waiting.delete(id);
    this.endSeen.delete(id);
    const e = this.entries.get(id) ?? { id, phase: "told", told: [], lastSentAt: now };
    e.lastSentAt = now;
    if (p.change === "resolved") e.phase = "resolved";
    else {
      e.phase = "told";
      for (const k of p.keys) if (!e.told.includes(k)) e.told.push(k);
    }
    this.entries.set(id, e);
  }

  private prune(now: number): void {
    for (const [id, e] of this.entries) if (e.phase === "resolved" && now - e.lastSentAt > KEEP_RESOLVED_MS) this.entries.delete(id);
    // Oldest first (Map order is insertion order): past the cap, resolved ones go first.
    for (const [id, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES) break;
      if (e.phase === "resolved") this.entries.delete(id);
    }
  }

  toJSON(): NotifierState {
    return { version: 1, seq: this.seq, entries: [...this.entries.values()].map((e) => ({ ...e, told: [...e.told] })), waiting: [...this.waiting].slice(0, MAX_ENTRIES) };
  }

  /** Restores saved state; a message instead of a throw when it cannot be used (then it starts afresh). */
  restore(saved: unknown): string | undefined {
    try {
      const s = checkNotifierState(saved);
      this.entries = new Map(s.entries.map((e) => [e.id, e]));
      this.seq = s.seq;
      // Seen but not told yet when the state was saved (a crash within the group wait): still owed.
      for (const id of s.waiting ?? []) this.waiting.add(id);
      return undefined;
    } catch (err) {
      return `saved notification state dropped, notifications start afresh: ${(err as Error).message}`;
    }
  }
}
