/**
 * One line's way through the stages: tail record -> parseLine -> dedupe -> metrics (+ span).
 * `run` and `replay` share it, so `replay --format prometheus` prints exactly what `run`
 * would serve after reading the same lines.
 */
import type { Tracer } from "@opentelemetry/api";
import { Deduper, parseLine } from "../events/index.ts";
import type { DeduperState } from "../events/dedupe.ts";
import type { OpenClawEvent } from "../events/types.ts";
import type { LineRecord, SourceKind } from "../line/record.ts";
import type { MetricStore } from "../telemetry/storage/metric-store.ts";
import { countEvent } from "../telemetry/recording/count-event.ts";
import { profileTag, withProfile, type MetricSink } from "../telemetry/recording/metric-sink.ts";
import {
  countDuplicate, countLineIgnored, countLineRead, countLineRejected, recordLag,
} from "../telemetry/recording/self-metrics.ts";
// Types only: spans.ts loads @opentelemetry/api (+6 MB, ~0.06 CPU s), wanted only with export on.
import type { spanForEvent } from "../telemetry/recording/spans.ts";

export interface PipelineOptions {
  store: MetricStore;
  /** Every counted event (after dedupe), e.g. for `replay --format events`. */
  onEvent?: (ev: OpenClawEvent) => void;
  /** A rejected line, for rate-limited debug logging. */
  onReject?: (record: LineRecord, reason: string, detail: string) => void;
  /**
   * Wall clock while following: lag and "last line" use it. Replay leaves it out so its output
   * depends on the files only (last line = newest event time, no lag).
   */
  clock?: () => number;
  /**
   * "Now" for the future-timestamp guard (default Date.now): `run` passes WallClock.guardNow,
   * which stays at the latest time the wall clock showed after it stepped back.
   */
  guardClock?: () => number;
  /**
   * The sidecar's own profile (`--profile`, or the one profile replay reads): events of files
   * without a profile, or of this one, carry no `openclaw.profile` attribute and get it as the
   * identity label and resource; events of any other profile carry theirs (metric-sink.ts).
   */
  defaultProfile?: string | undefined;
}

/** What this process saw (the store holds the cumulative, restart-surviving totals). */
export interface PipelineStats {
  lines: number;
  ignored: number;
  rejected: Record<string, number>;
  events: Record<string, number>;
  duplicates: Record<string, number>;
}

/** What the checkpoint's `telemetry` field holds: everything counting depends on. */
export interface PipelineState { version: 1; metrics: unknown; dedupe: DeduperState }

const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };

export class Pipeline {
  readonly store: MetricStore;
  readonly deduper = new Deduper();
  /** Set by enableSpans() once OTLP export has started (the SDK is loaded lazily). */
  private emitSpan: ((ev: OpenClawEvent) => void) | undefined;
  readonly stats: PipelineStats = { lines: 0, ignored: 0, rejected: {}, events: {}, duplicates: {} };
  private readonly opts: PipelineOptions;
  /** The store as seen by each other profile's events, made once per profile. */
  private readonly views = new Map<string, MetricSink>();
  /**
   * Lines read and ignored, kept as plain numbers and added to the store by flushCounters():
   * two store updates per line cost as much as parsing it (bench/README.md).
   */
  private readonly pending = {
    read: { log: 0, diagnostics: 0 }, ignored: { log: 0, diagnostics: 0 },
    lastLine: { log: -Infinity, diagnostics: -Infinity },
  };

  constructor(opts: PipelineOptions) {
    this.opts = opts;
    this.store = opts.store;
  }

  /** Adds the pending line counts to the store: after every poll, before every snapshot. */
  flushCounters(): void {
    // Log events held for their JSONL (dedupe.ts) wait at most HOLD_MS of wall clock in `run`.
    const now = this.opts.clock?.();
    if (now !== undefined) {
      this.deduper.noteWallClock(now);
      this.countReleased(now);
    }
    const p = this.pending;
    for (const source of ["log", "diagnostics"] as const) {
      if (p.read[source] > 0) {
        const last = p.lastLine[source];
        countLineRead(this.store, source, Number.isFinite(last) ? last : undefined, p.read[source]);
      }
      if (p.ignored[source] > 0) countLineIgnored(this.store, source, p.ignored[source]);
      p.read[source] = 0;
      p.ignored[source] = 0;
      p.lastLine[source] = -Infinity;
    }
  }

  snapshotState(): PipelineState {
    this.flushCounters();
    return { version: 1, metrics: this.store.snapshotState(), dedupe: this.deduper.snapshot() };
  }

  /** Throws with a message saying what is wrong when the saved state cannot be used. */
  restoreState(saved: unknown): void {
    const s = saved as Partial<PipelineState> | null;
    if (typeof s !== "object" || s === null || s.version !== 1 || typeof s.dedupe !== "object" || s.dedupe === null) {
      throw new Error("saved pipeline state is not version 1 ({version, metrics, dedupe})");
    }
    this.store.restoreState(s.metrics);
    this.deduper.restore(s.dedupe);
  }

  /**
   * A file that will be read (found by the tailer's scan before any line of that poll, or named
   * to replay). In `run`, a profile with a diagnostics JSONL file has its uncovered log echoes
   * and failovers wait for that JSONL's lines. What the JSONL wins is decided by the time those
   * lines cover, in Deduper.accept(), for `run`, `replay` and `report` alike (dedupe.ts).
   */
  noteFile(file: { source: SourceKind; profile: string }): void {
    if (file.source === "diagnostics") this.deduper.noteJsonlSource(file.profile);
  }

  /** Counts (or drops as covered) the held log events the deduper has decided. */
  private countReleased(now: number | undefined): void {
    for (const ev of this.deduper.drain()) this.countOne(ev, ev.origin === "store" ? undefined : "log", now);
  }

  /**
   * A model.usage read from OpenClaw's session store (src/store): no line behind it. Like a log
   * echo it waits for, or yields to, the plugin's JSONL where that covers its time.
   */
  handleStoreEvent(ev: OpenClawEvent): void {
    const now = this.opts.clock?.();
    if (now !== undefined && this.deduper.hold(ev, now)) return;
    this.countOne(ev, undefined, now);
  }

  /** Emits a span per event from now on; loads spans.ts (and @opentelemetry/api) first. */
  async enableSpans(tracer: Tracer): Promise<void> {
    const spanFor: typeof spanForEvent = (await import("../telemetry/recording/spans.ts")).spanForEvent;
    this.emitSpan = (ev) => spanFor(tracer, ev);
  }

  private sinkFor(profile: string): MetricSink {
    const tag = profileTag(profile, this.opts.defaultProfile);
    if (tag === undefined) return this.store;
    let view = this.views.get(tag);
    if (view === undefined) this.views.set(tag, (view = withProfile(this.store, tag)));
    return view;
  }

  handle(record: LineRecord): void {
    const { store, pending } = this;
    const now = this.opts.clock?.();
    const stats = this.stats;
    const source = record.source;
    stats.lines++;
    pending.read[source]++;
    if (now !== undefined && now > pending.lastLine[source]) pending.lastLine[source] = now;
    // A line the tailer could not hand on whole (line_too_long) is rejected by parseLine too.
    const result = parseLine(record, this.opts.guardClock);
    if (result.kind === "ignored") {
      pending.ignored[source]++;
      stats.ignored++;
      return;
    }
    if (result.kind === "rejected") {
      countLineRejected(store, source, result.reason);
      bump(stats.rejected, result.reason);
      this.opts.onReject?.(record, result.reason, result.detail);
      return;
    }
    const first = result.events[0]?.ts;
    if (now === undefined && first !== undefined && first > pending.lastLine[source]) pending.lastLine[source] = first;
    const deduper = this.deduper;
    for (const ev of result.events) {
      if (source === "diagnostics") {
        // Coverage first: held log events this line settles are counted before it.
        deduper.noteJsonlEvent(ev.profile, ev.ts);
        this.countReleased(now);
      } else if (now !== undefined && deduper.hold(ev, now)) {
        // Only `run` holds: it follows files still being written; replay and report read
        // finished files, every JSONL before any log (readingOrder).
        continue;
      }
      this.countOne(ev, source, now);
    }
  }

  private countOne(ev: OpenClawEvent, source: SourceKind | undefined, now: number | undefined): void {
    const { store, stats } = this;
    if (!this.deduper.accept(ev)) {
      countDuplicate(store, ev.type);
      bump(stats.duplicates, ev.type);
      return;
    }
    countEvent(this.sinkFor(ev.profile), ev);
    bump(stats.events, ev.type === "diagnostic.other" ? ev.originalType : ev.type);
    this.emitSpan?.(ev);
    if (now !== undefined && source !== undefined) recordLag(store, source, now - ev.ts);
    this.opts.onEvent?.(ev);
  }
}

/**
 * The order `replay` and `report` read their files in: every diagnostics JSONL before any log,
 * the given order otherwise, as the tailer visits them in a poll (compareFileNames), so a log
 * event finds the JSONL lines of its time already read.
 */
export function readingOrder<T extends { source: SourceKind }>(files: readonly T[]): T[] {
  return [...files.filter((f) => f.source === "diagnostics"), ...files.filter((f) => f.source !== "diagnostics")];
}
