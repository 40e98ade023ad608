/**
 * Follows every OpenClaw log and diagnostics file in one directory, by polling. The read
 * cycle, the rotation cases and their limits are explained in docs/design.md ("Tailer").
 *
 * One poll: readdir; stat each matching name; files whose inode we hold are read on (whatever
 * their name is now: rename rotation); held files whose inode left the directory are read to
 * their end through the open handle, then closed (deletion, the 6th rotation); new inodes are
 * matched to the checkpoint or to a copied original by their head bytes, else read from 0.
 * An unchanged file costs one stat.
 */
import { lstat, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileCheckpoint } from "./checkpoint.ts";
import { classifyFileName, compareFileNames, type FileNameInfo } from "./file-names.ts";
import { lastLineBoundary } from "./fingerprint.ts";
import { DEFAULT_MAX_LINE_BYTES, type LineEmit } from "./line-splitter.ts";
import type { LineRecord, SourceKind } from "./record.ts";
import { copiedOffset, takeSavedEntry } from "./resume-match.ts";
import { identityKey, TrackedFile, type FormerContent } from "./tracked-file.ts";

export interface TailerOptions {
  dir: string;
  /** First start without checkpoint: read existing files from 0 instead of their end. */
  fromBeginning?: boolean;
  /** Restored checkpoint entries; defined (even empty) means "this is a restart". */
  files?: FileCheckpoint[];
  /** Default 1 MiB. */
  maxLineBytes?: number;
  /** Per file and poll; the rest is read at the next poll. Default: no limit. */
  maxBytesPerPoll?: number;
  onError?: (err: { path: string; message: string }) => void;
  /** Every matching file found by a poll's directory scan, before any line of that poll is read. */
  onFound?: (info: FileNameInfo) => void;
}

export interface TailerStats {
  filesOpen: Record<SourceKind, number>;
  unreadBytes: Array<{ file: string; bytes: number }>;
}

interface Found {
  name: string;
  path: string;
  info: FileNameInfo;
  key: string;
  size: number;
  mtimeMs: number;
}

const READ_BUFFER_BYTES = 1024 * 1024;
/** Enough to recognise the copy of any file rotated in the last few polls. */
const FORMER_CONTENTS_KEPT = 16;

export class DirectoryTailer {
  private readonly opts: TailerOptions;
  private readonly maxLineBytes: number;
  private readonly files = new Map<string, TrackedFile>();
  /** Saved entries not matched to a file yet (only until the first poll, see pollOnce). */
  private saved: FileCheckpoint[];
  private formerContents: FormerContent[] = [];
  private firstPoll = true;
  private readonly startAtEnd: boolean;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** Last error reported per path: each problem is reported once, not every poll. */
  private reported = new Map<string, string>();
  private errorsThisPoll = new Map<string, string>();
  private last: Promise<unknown> = Promise.resolve();

  constructor(opts: TailerOptions) {
    this.opts = opts;
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.saved = opts.files ? [...opts.files] : [];
    this.startAtEnd = opts.files === undefined && !opts.fromBeginning;
  }

  /** Overlapping calls (a timer firing during a slow poll) run one after the other. */
  pollOnce(sink: (r: LineRecord) => void): Promise<void> {
    const run = this.last.then(() => this.poll(sink));
    this.last = run.catch(() => undefined);
    return run;
  }

  private async poll(sink: (r: LineRecord) => void): Promise<void> {
    this.errorsThisPoll = new Map();
    const found = await this.scan();
    if (found) {
      const known: Array<[TrackedFile, Found]> = [];
      const fresh: Found[] = [];
      for (const f of found) {
        const t = this.files.get(f.key);
        if (t) known.push([t, f]);
        else fresh.push(f);
      }
      await this.dropGone(new Set(found.map((f) => f.key)), sink);
      for (const [t, f] of known) await this.guard(f.path, () => this.advance(t, f, sink));
      for (const f of fresh) await this.guard(f.path, () => this.adopt(f, sink));
      // A saved entry left unmatched is a file deleted while we were down, unless its path is
      // still there but failed to open: keep that one so a later success resumes it.
      this.saved = this.saved.filter((e) => this.errorsThisPoll.has(e.path));
      this.firstPoll = false;
    }
    this.flushErrors();
  }

  snapshot(): FileCheckpoint[] {
    return [...[...this.files.values()].map((t) => t.checkpoint()), ...this.saved.map((e) => ({ ...e }))];
  }

  stats(): TailerStats {
    const filesOpen: Record<SourceKind, number> = { log: 0, diagnostics: 0 };
    const unreadBytes: TailerStats["unreadBytes"] = [];
    for (const t of this.files.values()) {
      filesOpen[t.name.source]++;
      const file = t.path.slice(t.path.lastIndexOf("/") + 1);
      unreadBytes.push({ file, bytes: Math.max(0, t.lastSize - t.splitter.lineStart) });
    }
    return { filesOpen, unreadBytes };
  }

  async close(): Promise<void> {
    await this.last;
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.allSettled(open.map((t) => t.close()));
  }

  /** The matching names with their identity, oldest first; undefined when readdir failed. */
  private async scan(): Promise<Found[] | undefined> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch (err) {
      this.fail(this.opts.dir, `cannot list log directory: ${(err as Error).message}`);
      return undefined;
    }
    const found: Found[] = [];
    for (const name of names) {
      const info = classifyFileName(name);
      if (!info) continue;
      const path = join(this.opts.dir, name);
      try {
        const st = await stat(path);
        if (!st.isFile()) {
          this.fail(path, `cannot read: not a regular file (${kindOf(st)})`);
          continue;
        }
        found.push({ name, path, info, key: identityKey(st.dev, st.ino), size: st.size, mtimeMs: st.mtimeMs });
        this.opts.onFound?.(info);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        // ENOENT right after readdir is a normal race with deletion, unless the name is a
        // symlink whose target is missing: that stays broken and deserves a message.
        if (e.code !== "ENOENT") this.fail(path, `cannot read: ${e.message}`);
        else if ((await lstat(path).catch(() => undefined))?.isSymbolicLink()) {
          this.fail(path, "cannot read: dangling symlink (its target does not exist)");
        }
      }
    }
    return found.sort((a, b) => compareFileNames(a.info, b.info) || (a.name < b.name ? -1 : 1));
  }

  /** Held files whose inode is no longer in the directory: read what is left, then close. */
  private async dropGone(present: Set<string>, sink: (r: LineRecord) => void): Promise<void> {
    for (const [key, t] of this.files) {
      if (present.has(key)) continue;
      await this.guard(t.path, () => t.read(this.buffer, this.emitter(t, sink)));
      this.files.delete(key);
      await t.close().catch(() => undefined);
    }
  }

  private async advance(t: TrackedFile, f: Found, sink: (r: LineRecord) => void): Promise<void> {
    if (t.path !== f.path) {
      t.path = f.path; // renamed (x.log -> x.1.log): same inode, same offset
      t.name = f.info;
    }
    if (t.isUnchanged(f.size, f.mtimeMs)) return;
    const former = await t.verify(f.size, f.mtimeMs);
    if (former) this.remember(former);
    await t.read(this.buffer, this.emitter(t, sink), this.opts.maxBytesPerPoll);
  }

  private async adopt(f: Found, sink: (r: LineRecord) => void): Promise<void> {
    const t = await TrackedFile.open(f.path, f.info, this.maxLineBytes);
    if (this.files.has(t.key)) {
      // The name now points at a file we already hold (replaced between stat and open).
      await t.close();
      return;
    }
    await this.placeNew(t);
    this.files.set(t.key, t);
    await this.advance(t, { ...f, key: t.key, size: t.lastSize }, sink);
  }

  private async placeNew(t: TrackedFile): Promise<void> {
    const entry = takeSavedEntry(this.saved, t.path, t.head);
    if (entry) return t.startAt(entry.offset, { awaitingCopy: true });
    const candidates = [...this.formerContents, ...[...this.files.values()].map((o) => ({ head: o.head, offset: o.splitter.lineStart }))];
    const copied = copiedOffset(t.head, candidates);
    if (copied !== undefined) return t.startAt(copied, { awaitingCopy: true });
    if (this.firstPoll && this.startAtEnd) {
      const end = await lastLineBoundary(t.fileHandle, t.lastSize, this.maxLineBytes);
      return t.startAt(end.offset, { discard: end.discard });
    }
    t.startAt(0);
  }

  private remember(former: FormerContent): void {
    if (former.head.length === 0) return;
    this.formerContents.push(former);
    if (this.formerContents.length > FORMER_CONTENTS_KEPT) this.formerContents.shift();
  }

  private emitter(t: TrackedFile, sink: (r: LineRecord) => void): LineEmit {
    const { source, profile } = t.name;
    const path = t.path;
    return (line, offset, error) => {
      sink(error ? { source, profile, path, offset, line, error } : { source, profile, path, offset, line });
    };
  }

  private async guard(path: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      // ENOENT here is a file deleted between our stat and open: a normal race, not a fault.
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      this.fail(path, `cannot read: ${(err as Error).message}`);
    }
  }

  private fail(path: string, message: string): void {
    this.errorsThisPoll.set(path, message);
  }

  private flushErrors(): void {
    for (const [path, message] of this.errorsThisPoll) {
      if (this.reported.get(path) !== message) this.opts.onError?.({ path, message });
    }
    this.reported = this.errorsThisPoll;
  }
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a fifo";
  if (st.isSocket()) return "a socket";
  return "not a file";
}
