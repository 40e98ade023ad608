/**
 * One followed file: a handle while open (so a renamed or deleted file can still be read to
 * its end), its identity for this run (dev:ino) and across runs (the head bytes), and a
 * LineSplitter whose `lineStart` is the checkpoint offset. The HandlePool may park it (close
 * the handle, keep everything else) and it is reopened by path when it changes.
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { FileCheckpoint } from "./checkpoint.ts";
import type { FileNameInfo } from "./file-names.ts";
import { fingerprintOf, readHead, startsWith } from "./fingerprint.ts";
import { LineSplitter, type LineEmit } from "./line-splitter.ts";

/** What a file held before it was found truncated or replaced: lets its copy be recognised. */
export interface FormerContent {
  readonly head: Buffer;
  readonly offset: number;
}

export class TrackedFile {
  path: string;
  name: FileNameInfo;
  readonly key: string;
  readonly splitter: LineSplitter;
  head: Buffer;
  /** Size at the last poll; with mtime, lets an unchanged file cost nothing but its stat. */
  lastSize: number;
  private lastMtimeMs = -1;
  /**
   * A copy that may still be being written (it starts at the original's offset but is shorter):
   * size < offset means "not there yet", not "truncated".
   */
  private awaitingCopy = false;
  private fingerprint: string | undefined;
  private handle: FileHandle | undefined;

  private constructor(path: string, name: FileNameInfo, handle: FileHandle, key: string, size: number, head: Buffer, maxLineBytes: number) {
    this.path = path;
    this.name = name;
    this.handle = handle;
    this.key = key;
    this.lastSize = size;
    this.head = head;
    this.splitter = new LineSplitter(maxLineBytes);
  }

  /**
   * Opens without blocking (a fifo swapped in after our stat must not hang the poll) and
   * without following a link (one swapped in after the scan's lstat fails with ELOOP).
   */
  static async open(path: string, name: FileNameInfo, maxLineBytes: number): Promise<TrackedFile> {
    const handle = await openNoFollow(path);
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new Error("not a regular file");
      const head = await readHead(handle, st.size);
      return new TrackedFile(path, name, handle, identityKey(st.dev, st.ino), st.size, head, maxLineBytes);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  get fileHandle(): FileHandle {
    if (!this.handle) throw new Error("file is parked (closed by the open-file bound)");
    return this.handle;
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /**
   * Closes the handle, keeping identity, head and offset. An unfinished line is dropped and
   * read again from its start on reopen (still inside a too-long line: still dropped).
   */
  async park(): Promise<void> {
    const h = this.handle;
    if (!h) return;
    this.handle = undefined;
    this.splitter.reset(this.resumeOffset, this.splitter.isDiscarding);
    await h.close();
  }

  /**
   * Opens `path` again for a parked file. False when the name now holds another inode (it
   * was replaced since the stat): the next scan sorts that out. Whether the content is still
   * ours is checked by verify() (head bytes), as for a file that was never closed.
   */
  async reopen(path: string): Promise<boolean> {
    if (this.handle) return true;
    const handle = await openNoFollow(path);
    try {
      const st = await handle.stat();
      if (!st.isFile() || identityKey(st.dev, st.ino) !== this.key) {
        await handle.close();
        return false;
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    this.handle = handle;
    return true;
  }

  startAt(offset: number, opts: { discard?: boolean; awaitingCopy?: boolean } = {}): void {
    this.splitter.reset(offset, opts.discard ?? false);
    this.awaitingCopy = (opts.awaitingCopy ?? false) && offset > this.lastSize;
  }

  /**
   * After reopen: does the file still start with the head we knew? While parked we held no
   * handle, so its inode may have been freed and reused by another file (a copy, a new day).
   */
  async holdsSameContent(size: number): Promise<boolean> {
    // Empty when parked: nothing tells its old content from a new file's (say a copy made in
    // its reused inode), so a file that has content now is placed like a new one.
    if (this.head.length === 0) return size === 0;
    return startsWith(await readHead(this.fileHandle, size), this.head);
  }

  /** True when size and mtime are as last seen and everything up to size has been read. */
  isUnchanged(size: number, mtimeMs: number): boolean {
    return size === this.lastSize && mtimeMs === this.lastMtimeMs && this.splitter.position >= size;
  }

  /**
   * Checks the file still is what we were reading before reading more of it. Returns what it
   * held before when it was truncated or its start rewritten (copy-truncate): then reading
   * restarts at 0. Otherwise lets the head grow towards 1 KiB.
   */
  async verify(size: number, mtimeMs: number): Promise<FormerContent | undefined> {
    this.lastSize = size;
    this.lastMtimeMs = mtimeMs;
    const head = await readHead(this.fileHandle, size);
    const same = this.head.length === 0 || startsWith(head, this.head);
    const shrunk = size < this.splitter.position && !this.awaitingCopy;
    if (!same || shrunk) {
      const former = { head: this.head, offset: this.splitter.lineStart };
      this.setHead(head);
      this.splitter.reset(0);
      this.awaitingCopy = false;
      return former;
    }
    if (head.length > this.head.length) this.setHead(head);
    if (this.awaitingCopy && size >= this.splitter.position) this.awaitingCopy = false;
    return undefined;
  }

  /** Reads from the current position until end of file or `budget` bytes. */
  async read(buffer: Buffer, emit: LineEmit, budget = Infinity): Promise<number> {
    let total = 0;
    while (total < budget) {
      const want = Math.min(buffer.length, budget - total);
      const { bytesRead } = await this.fileHandle.read(buffer, 0, want, this.splitter.position);
      if (bytesRead === 0) break;
      this.splitter.push(buffer.subarray(0, bytesRead), emit);
      total += bytesRead;
    }
    return total;
  }

  /**
   * Where a restart (or a reopen) continues: just after the last line handed on, or, inside a
   * line already known to be too long, as far as its bytes were dropped. Either way nothing
   * handed on is handed on again, and a 1 TB file of zeros is not read from 0 after a restart.
   */
  get resumeOffset(): number {
    return this.splitter.isDiscarding ? this.splitter.position : this.splitter.lineStart;
  }

  checkpoint(): FileCheckpoint {
    this.fingerprint ??= fingerprintOf(this.head);
    const entry: FileCheckpoint = {
      path: this.path,
      source: this.name.source,
      profile: this.name.profile,
      fingerprint: this.fingerprint,
      fingerprintBytes: this.head.length,
      offset: this.resumeOffset,
    };
    if (this.splitter.isDiscarding) entry.discard = true;
    return entry;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  private setHead(head: Buffer): void {
    this.head = head;
    this.fingerprint = undefined;
  }
}

/** O_NOFOLLOW: a symbolic link as the last path component fails with ELOOP, never read. */
function openNoFollow(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
}

export function identityKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}
