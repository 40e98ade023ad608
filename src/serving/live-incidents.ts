/**
 * What `run` keeps for the operator's page besides the metric store: an IncidentBuilder fed
 * every counted event, today's tokens and cost by model, and the per-minute chart ring.
 *
 * The page's clock: incidents live on event time, so "now" is the newest event read plus the
 * wall time since it was read. Following a live gateway that is the wall clock (give or take a
 * poll); replaying old files (`--from-beginning`, `demo`) it is the log's own time, so an
 * incident of the replayed day shows as it was, not as closed by a wall clock days later.
 *
 * The builder's state and the clock go into the checkpoint (`incidents`): a restart shows the
 * ongoing incidents again. A saved state that cannot be used is dropped with a warning.
 */
import type { OpenClawEvent } from "../events/types.ts";
import { lineTime } from "../line/line-time.ts";
import type { LineRecord } from "../line/record.ts";
import { IncidentBuilder } from "../incidents/index.ts";
import { word } from "../incidents/words.ts";
import { MinuteRing } from "./minute-ring.ts";
import { FUTURE_TOLERANCE_MS } from "../events/time-guard.ts";

export const LIVE_STATE_VERSION = 1;
/** Models listed in today's usage at most (one row each); the rest add up under "other". */
const MAX_USAGE_ROWS = 50;

export interface UsageRow { model: string; tokens: number; costUsd: number; turns: number }

export interface LiveState {
  version: typeof LIVE_STATE_VERSION;
  /** Newest event time read, and the wall time it was seen at (the page's clock). */
  eventTs?: number;
  wallTs?: number;
  builder: unknown;
  usage: { day: string; rows: UsageRow[] };
}

/** `2026-11-21` of an epoch ms, in local time as OpenClaw names its daily files. */
export function localDay(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export class LiveIncidents {
  builder: IncidentBuilder;
  readonly ring = new MinuteRing();
  private eventTs: number | undefined;
  private wallTs: number | undefined;
  private pendingTs: number | undefined;
  private usage: { day: string; rows: Map<string, UsageRow> } = { day: "", rows: new Map() };

  private readonly wall: () => number;
  private readonly limit: () => number;

  /** `limit`: latest time the clock may move to (`run` passes WallClock.clockLimit). */
  constructor(wall: () => number = Date.now, limit: () => number = () => wall() + FUTURE_TOLERANCE_MS) {
    this.wall = wall;
    this.limit = limit;
    this.builder = new IncidentBuilder();
  }

  /** Restores a saved state; returns a warning instead of throwing when it cannot be used. */
  restore(saved: unknown): string | undefined {
    if (saved === undefined) return undefined;
    try {
      const s = saved as Partial<LiveState> | null;
      if (typeof s !== "object" || s === null || s.version !== LIVE_STATE_VERSION) throw new Error(`not version ${LIVE_STATE_VERSION}`);
      const builder = IncidentBuilder.fromJSON(s.builder);
      const rows = Array.isArray(s.usage?.rows) ? s.usage.rows.filter((r) => typeof r?.model === "string" && Number.isFinite(r.tokens) && Number.isFinite(r.costUsd) && Number.isFinite(r.turns)) : [];
      this.builder = builder;
      this.eventTs = Number.isFinite(s.eventTs) ? s.eventTs : undefined;
      this.wallTs = Number.isFinite(s.wallTs) ? s.wallTs : undefined;
      this.usage = { day: typeof s.usage?.day === "string" ? s.usage.day : "", rows: new Map(rows.slice(0, MAX_USAGE_ROWS).map((r) => [r.model, { ...r }])) };
      return undefined;
    } catch (err) {
      return `saved incident state dropped, incidents start afresh: ${(err as Error).message}`;
    }
  }

  toJSON(): LiveState {
    this.tick();
    return { version: LIVE_STATE_VERSION, eventTs: this.eventTs, wallTs: this.wallTs, builder: this.builder.toJSON(), usage: { day: this.usage.day, rows: [...this.usage.rows.values()] } };
  }

  /** Every counted event, once (the pipeline's onEvent). */
  add(ev: OpenClawEvent): void {
    this.builder.add(ev);
    const t = ev.ts;
    if (this.pendingTs === undefined || t > this.pendingTs) this.pendingTs = t;
    switch (ev.type) {
      case "model.fetch": this.ring.add(ev.outcome === "success" ? "ok" : "failed", t); break;
      case "model.failover": this.ring.add("failovers", t); break;
      case "queue.lane.enqueue": case "queue.lane.dequeue": this.ring.add("queue", t, ev.queueSize); break;
      case "model.usage": this.addUsage(ev); break;
      default: break;
    }
  }

  /**
   * For one poll: the last line read of each file moves the page's clock (seenLine), one time
   * parse per file and poll, not per line.
   */
  lineClock(): { note(record: LineRecord): void; done(): void } {
    let last: LineRecord | undefined;
    return {
      note: (record) => {
        if (last !== undefined && last.path !== record.path) this.seenLine(lineTime(last.line));
        last = record;
      },
      done: () => { if (last !== undefined) this.seenLine(lineTime(last.line)); },
    };
  }

  /**
   * A line of time `t` was read: the gateway was there then, though the line is no event.
   * Never ahead of the wall clock: a line dated in the future moves nothing.
   */
  seenLine(t: number | undefined): void {
    if (t === undefined || !Number.isFinite(t) || t > Math.min(this.wall() + 1000, this.limit())) return;
    if (this.pendingTs === undefined || t > this.pendingTs) this.pendingTs = t;
    this.builder.seen(t);
  }

  /**
   * The wall clock stepped back `stepMs` (src/wall-clock.ts): the wall time the newest event
   * was seen at moves onto the new timeline, and so does that event's time when it is ahead
   * of the new wall clock (a live gateway's line, dated on the old timeline). An old file's
   * time (replay) stays its own. Otherwise now() stood still, up to `stepMs` ahead.
   */
  rebase(stepMs: number): void {
    if (this.wallTs !== undefined) this.wallTs -= stepMs;
    if (this.eventTs !== undefined && this.eventTs > this.wall()) this.eventTs -= stepMs;
  }

  /** After each poll: the clock catches up with what was read, quiet incidents end. */
  tick(): void {
    // A line from before a step back (old timeline) is shown, but does not move the clock.
    if (this.pendingTs !== undefined && this.pendingTs > this.limit()) this.pendingTs = undefined;
    if (this.pendingTs !== undefined && (this.eventTs === undefined || this.pendingTs > this.eventTs)) {
      this.eventTs = this.pendingTs;
      this.wallTs = this.wall();
    }
    this.pendingTs = undefined;
    this.builder.advance(this.now());
  }

  /** The page's "now" (see the file comment). */
  now(): number {
    const wall = this.wall();
    return this.eventTs === undefined || this.wallTs === undefined ? wall : this.eventTs + Math.max(0, wall - this.wallTs);
  }

  /** Today's usage by model (today = the page clock's local day); empty on another day. */
  usageToday(): { day: string; rows: UsageRow[] } {
    const day = localDay(this.now());
    return { day, rows: this.usage.day === day ? [...this.usage.rows.values()].sort((a, b) => b.tokens - a.tokens) : [] };
  }

  private addUsage(ev: Extract<OpenClawEvent, { type: "model.usage" }>): void {
    const u = ev.usage;
    const tokens = u.total ?? (u.input ?? 0) + (u.output ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
    this.ring.add("turns", ev.ts);
    if (tokens > 0) this.ring.add("tokens", ev.ts, tokens);
    const day = localDay(ev.ts);
    if (day < this.usage.day) return;
    if (day > this.usage.day) this.usage = { day, rows: new Map() };
    // Bounded words, like the incidents' names: a credential in a model field stays out.
    let model = `${word(ev.provider)}/${word(ev.model)}`;
    if (!this.usage.rows.has(model) && this.usage.rows.size >= MAX_USAGE_ROWS - 1) model = "other";
    const row = this.usage.rows.get(model) ?? { model, tokens: 0, costUsd: 0, turns: 0 };
    row.tokens += tokens;
    row.costUsd += ev.costUsd ?? 0;
    row.turns++;
    this.usage.rows.set(model, row);
  }
}
