/**
 * The sidecar's own internal events, each in one place with everything it causes: the counter
 * or gauge (telemetry/recording/self-metrics.ts), the log line, rate-limited to one per streak
 * (a full disk or an unreachable collector lasting days must not flood stderr; the counters
 * show every attempt), and the state /healthz and the page read. As Vector's internal events
 * do, so the run loop calls `checkpointFailed(err)`, never a counter and a logger separately.
 */
import type { TailerStats } from "../tail/tailer-options.ts";
import {
  countCheckpointFailure, countExportFailure, countSpansDropped, forgetFile, setFileUnread, setFilesOpen,
} from "../telemetry/recording/self-metrics.ts";
import type { MetricStore } from "../telemetry/storage/metric-store.ts";
import type { Logger } from "./log.ts";

export class SelfEvents {
  private checkpointFailures = 0;
  /** Why the last checkpoint write failed, until one succeeds (the notifier tells a lasting one). */
  checkpointProblem: string | undefined;
  /** Metric exports failed since the last one the collector accepted (/healthz). */
  metricFailuresInARow = 0;
  /** Wall time of the last failed export of any signal (the page). */
  lastExportFailureAt: number | null = null;
  private readonly knownFiles = new Set<string>();

  private readonly store: MetricStore;
  private readonly log: Logger;
  private readonly retryMs: number;

  constructor(store: MetricStore, log: Logger, retryMs: number) {
    this.store = store;
    this.log = log;
    this.retryMs = retryMs;
  }

  checkpointSaved(): void {
    this.checkpointProblem = undefined;
    if (this.checkpointFailures === 0) return;
    this.log.info(`checkpoint written again after ${this.checkpointFailures} failed attempt(s)`);
    this.checkpointFailures = 0;
  }

  checkpointFailed(err: unknown): void {
    countCheckpointFailure(this.store);
    const code = (err as NodeJS.ErrnoException).code;
    this.checkpointProblem = code === "ENOSPC" ? "the disk is full (ENOSPC)" : code === "EROFS" ? "read-only file system (EROFS)" : (err as Error).message.slice(0, 200);
    if (this.checkpointFailures++ === 0) {
      this.log.warn(`checkpoint write failed; the previous checkpoint is kept, retrying every ${this.retryMs} ms (logged again only once it succeeds): ${(err as Error).message}`);
    }
  }

  /** Its log line is the exporter's own (FailureLog in telemetry/export: one per streak, with the target and timeout). */
  exportFailed(signal: "metrics" | "traces" | "logs", reason = "other"): void {
    countExportFailure(this.store, signal, reason);
    this.lastExportFailureAt = Date.now();
    if (signal === "metrics") this.metricFailuresInARow++;
  }

  exportSucceeded(): void {
    this.metricFailuresInARow = 0;
  }

  spansDropped(n: number): void {
    countSpansDropped(this.store, n);
  }

  /** Files followed and their unread bytes after a poll; a file no longer followed loses its series. */
  filesObserved(stats: TailerStats): void {
    setFilesOpen(this.store, "log", stats.filesOpen.log);
    setFilesOpen(this.store, "diagnostics", stats.filesOpen.diagnostics);
    const now = new Set<string>();
    for (const { file, bytes } of stats.unreadBytes) {
      now.add(file);
      setFileUnread(this.store, file, bytes);
    }
    for (const f of this.knownFiles) if (!now.has(f)) forgetFile(this.store, f);
    this.knownFiles.clear();
    for (const f of now) this.knownFiles.add(f);
  }
}
