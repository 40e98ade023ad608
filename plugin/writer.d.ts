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
  written: number; dropped: number; skipped: number; errors: number; pruned: number; queued: number;
}
export interface DiagnosticsWriter {
  /** Enqueues one event; never throws. */
  push(event: unknown): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Flushes and stops accepting events. */
  close(): Promise<void>;
  /** Synchronous drain for process exit. */
  flushSync(): void;
  /** Deletes own files older than the retention. */
  prune(): Promise<void>;
  stats(): WriterStats;
}
export declare function createDiagnosticsWriter(options: WriterOptions): DiagnosticsWriter;
export declare function formatLocalDate(ms: number): string;
export declare function filePrefix(profile?: string): string;
