// Types for writer.js (the plugin ships as plain JS so OpenClaw loads it without a build step).
export interface WriterOptions {
  /** Directory the JSONL files go to (created when missing). */
  dir: string;
  /** Profile segment, already encoded like OpenClaw's log names; "" or undefined = default. */
  profile?: string;
  /** Longest time a line waits in memory (default 250 ms). */
  flushIntervalMs?: number;
  /** Flush early at this many queued bytes; also the largest single append (default 64 KiB). */
  maxBatchBytes?: number;
  /** Lines kept in memory before the oldest are dropped (default 10000). */
  maxQueue?: number;
  /** Own files older than this (by mtime) are deleted (default 24 h). */
  retentionMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Called with every I/O or serialisation error; must not throw (errors are swallowed anyway). */
  onError?: (err: unknown) => void;
}
export interface WriterStats {
  /** Events on disk as whole lines; events lost (each counted once, in some marker); not events. */
  written: number; dropped: number; skipped: number; errors: number; pruned: number; queued: number;
  /** Writes cut short inside a line (the next write to that file starts with "\n"). */
  torn: number;
  /** Events whose ts could not name a file: written with the current time and `tsInvalid: true`. */
  badTs: number;
}
export interface DiagnosticsWriter {
  /** Enqueues one event; never throws. */
  push(event: unknown): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Stops accepting events and flushes what is queued. */
  close(): Promise<void>;
  /** Accepts events again after close() (a service stopped and started again). */
  open(): void;
  /** Synchronous drain for process exit. */
  flushSync(): void;
  /** Deletes own files older than the retention. */
  prune(): Promise<void>;
  stats(): WriterStats;
}
export declare function createDiagnosticsWriter(options: WriterOptions): DiagnosticsWriter;
export declare function formatLocalDate(ms: number): string;
export declare function filePrefix(profile?: string): string;
/** Whether ts names a file the sidecar reads (a date of a 4-digit year from 1970 on). */
export declare function isFileableTs(ts: unknown): ts is number;
