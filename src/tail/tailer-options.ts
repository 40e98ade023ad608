/**
 * What a DirectoryTailer is given (TailerOptions) and what it tells (TailerStats): kept apart
 * from the poll cycle so that file stays readable.
 */
import type { FileCheckpoint } from "./checkpoint.ts";
import type { FileNameInfo } from "./file-names.ts";
import type { HandlePool } from "./handle-pool.ts";
import type { SourceKind } from "../line/record.ts";
import type { TrackedFile } from "./tracked-file.ts";

export interface TailerOptions {
  dir: string;
  /** First start without checkpoint: read existing files from 0 instead of their end. */
  fromBeginning?: boolean;
  /** Restored checkpoint entries; defined (even empty) means "this is a restart". */
  files?: FileCheckpoint[];
  /** Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * Per file and poll; the rest is read at the next poll (pollOnce resolves `true` then).
   * Default DEFAULT_MAX_BYTES_PER_POLL: one huge file must not starve the others.
   */
  maxBytesPerPoll?: number;
  onError?: (err: { path: string; message: string }) => void;
  /** Every matching file found by a poll's directory scan, before any line of that poll is read. */
  onFound?: (info: FileNameInfo) => void;
  /** Most file handles held at once (default 256); idle files beyond it are closed. */
  maxOpenFiles?: number;
}

export interface TailerStats {
  /** Files followed (open or parked). */
  filesOpen: Record<SourceKind, number>;
  /** Handles actually held, and how often EMFILE/ENFILE made the tailer back off. */
  handles: { open: number; cap: number; backoffs: number };
  /** Per file, by basename (the `file` label of the unread-bytes gauge). */
  unreadBytes: Array<{ file: string; bytes: number }>;
  /** Per file as the status page shows it: full path, kind, size at the last poll, unread bytes. */
  followed: Array<{ path: string; source: SourceKind; sizeBytes: number; unreadBytes: number }>;
  /** Names of the last scan that are symbolic links, skipped (never followed). */
  linksSkipped: number;
  /** Names like a log in the last scan (links included), so /healthz need not list the directory again. */
  logNames: number;
  /** Why the last scan could not list the directory (an errno code), if it could not. */
  dirError?: string;
}

/** What the last directory scan saw, as statsOf reports it. */
export interface ScanFacts { linksSkipped: number; logNames: number; dirError?: string }

/**
 * A 200 GB sparse file read in one poll took 62 s: no other file was followed, no checkpoint
 * written, SIGTERM not honoured. 16 MiB is a few ms of zeros and a fraction of a second of
 * real lines; a file with more waits for the next poll, which the sidecar runs at once.
 */
export const DEFAULT_MAX_BYTES_PER_POLL = 16 * 1024 * 1024;

export function statsOf(files: Iterable<TrackedFile>, pool: HandlePool, scan: ScanFacts): TailerStats {
  const filesOpen: Record<SourceKind, number> = { log: 0, diagnostics: 0 };
  const unreadBytes: TailerStats["unreadBytes"] = [];
  const followed: TailerStats["followed"] = [];
  for (const t of files) {
    filesOpen[t.name.source]++;
    const file = t.path.slice(t.path.lastIndexOf("/") + 1);
    const bytes = Math.max(0, t.lastSize - t.resumeOffset);
    unreadBytes.push({ file, bytes });
    followed.push({ path: t.path, source: t.name.source, sizeBytes: t.lastSize, unreadBytes: bytes });
  }
  return { filesOpen, handles: { open: pool.size, cap: pool.cap, backoffs: pool.backoffs }, unreadBytes, followed, ...scan };
}
