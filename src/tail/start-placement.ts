/**
 * Where each file seen for the first time in this run starts, and the memory that decides it:
 * saved checkpoint entries not matched yet, files that left the directory this poll, recently
 * replaced contents (copy-truncate originals) and, on a very first start, the files present
 * then (they start at their end). docs/design.md, Tailer, Read cycle steps 4, 6 and 7.
 */
import type { FileCheckpoint } from "./checkpoint.ts";
import { lastLineBoundary } from "./fingerprint.ts";
import { copiedOffset, takeSavedEntry } from "./resume-match.ts";
import type { FormerContent, TrackedFile } from "./tracked-file.ts";

/** Enough to recognise the copy of any file rotated in the last few polls. */
const FORMER_CONTENTS_KEPT = 16;

export class StartPlacement {
  /** Saved entries not matched to a file yet (only until the second poll, see endPoll). */
  private saved: FileCheckpoint[];
  /**
   * Saved entries the previous poll matched to no file. readdir and the stats after it are not
   * one snapshot: a file renamed in between is under neither name in that scan, so an entry is
   * taken as gone only when two scans in a row miss it.
   */
  private savedMissed = new Set<FileCheckpoint>();
  /** Files that left the directory this poll: a new inode with their head continues them. */
  private vanished: FileCheckpoint[] = [];
  private formerContents: FormerContent[] = [];
  /** Keys of the files present at a first start (they start at their end) not adopted yet. */
  private atEndKeys: Set<string> | undefined;
  private firstPoll = true;
  private readonly startAtEnd: boolean;
  private readonly maxLineBytes: number;

  constructor(files: FileCheckpoint[] | undefined, fromBeginning: boolean, maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
    this.saved = files ? [...files] : [];
    this.startAtEnd = files === undefined && !fromBeginning;
  }

  /** A poll's scan found these new keys; on the very first start they begin at their end. */
  beginPoll(freshKeys: readonly string[]): void {
    this.vanished = [];
    if (this.firstPoll && this.startAtEnd) this.atEndKeys = new Set(freshKeys);
  }

  /**
   * A saved entry left unmatched by two polls is a file deleted while we were down (one scan
   * may miss a file renamed during it), unless its path is still there but failed to open
   * (`failedThisPoll`): keep that one so a later success resumes it. A poll deferred for want
   * of handles keeps every entry and the start-at-end.
   */
  endPoll(deferred: boolean, failedThisPoll: (path: string) => boolean): void {
    if (!deferred) {
      this.saved = this.saved.filter((e) => failedThisPoll(e.path) || !this.savedMissed.has(e));
      this.savedMissed = new Set(this.saved);
      this.atEndKeys = undefined;
    }
    this.firstPoll = false;
  }

  /** A followed file left (or its inode now holds other content): its head may come back. */
  vanish(entry: FileCheckpoint): void {
    this.vanished.push(entry);
  }

  remember(former: FormerContent): void {
    if (former.head.length === 0) return;
    this.formerContents.push(former);
    if (this.formerContents.length > FORMER_CONTENTS_KEPT) this.formerContents.shift();
  }

  /** Saved entries still waiting for their file, for the checkpoint. */
  unmatched(): FileCheckpoint[] {
    return this.saved.map((e) => ({ ...e }));
  }

  /** Checkpoint entry, else a file that just left, else a copied original, else end or 0. */
  async place(t: TrackedFile, held: Iterable<TrackedFile>): Promise<void> {
    const entry = takeSavedEntry(this.saved, t.path, t.head) ?? takeSavedEntry(this.vanished, t.path, t.head);
    if (entry) return t.startAt(entry.offset, { awaitingCopy: true, discard: entry.discard === true });
    const candidates = [...this.formerContents, ...[...held].map((o) => ({ head: o.head, offset: o.splitter.lineStart }))];
    const copied = copiedOffset(t.head, candidates);
    if (copied !== undefined) return t.startAt(copied, { awaitingCopy: true });
    if (this.atEndKeys?.delete(t.key)) {
      const end = await lastLineBoundary(t.fileHandle, t.lastSize, this.maxLineBytes);
      return t.startAt(end.offset, { discard: end.discard });
    }
    t.startAt(0);
  }
}
