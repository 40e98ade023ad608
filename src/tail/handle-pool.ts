/**
 * A bound on the file handles the tailer holds. Every followed file used to stay open; with
 * profiles x days x rotations that reached the process's open-file limit (2,000 files under
 * `ulimit -n 1024`), after which /metrics, /healthz and checkpoint writes failed with EMFILE.
 *
 * Files are kept in least-recently-read order; making room parks the oldest (closes its handle,
 * keeps its state). A parked file is reopened when its stat shows a change, and its head bytes
 * (the fingerprint) are checked again before reading (TrackedFile.verify), so a file renamed
 * while parked continues at its offset, and an inode reused by another file is read from 0.
 * On EMFILE/ENFILE the pool halves its own bound: the handles are needed elsewhere too.
 */
import type { TrackedFile } from "./tracked-file.ts";

export const DEFAULT_MAX_OPEN_FILES = 256;

export function isOutOfHandles(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "EMFILE" || code === "ENFILE";
}

export class HandlePool {
  /** Current bound: the configured one, lowered after EMFILE/ENFILE. */
  cap: number;
  /** How many times the process ran out of handles (EMFILE/ENFILE) while tailing. */
  backoffs = 0;
  /** Insertion order = least recently read first. */
  private readonly open = new Set<TrackedFile>();

  constructor(cap: number = DEFAULT_MAX_OPEN_FILES) {
    this.cap = Math.max(1, cap);
  }

  get size(): number {
    return this.open.size;
  }

  /** `t` was just opened or read: it is the last to be parked. */
  touch(t: TrackedFile): void {
    this.open.delete(t);
    if (t.isOpen) this.open.add(t);
  }

  forget(t: TrackedFile): void {
    this.open.delete(t);
  }

  /** Parks the least recently read files until one more can be opened within the bound. */
  async makeRoom(): Promise<void> {
    await this.parkDownTo(this.cap - 1);
  }

  /** Out of handles: count it, halve the bound and give handles back at once. */
  async exhausted(): Promise<void> {
    this.backoffs++;
    this.cap = Math.max(1, Math.floor(Math.min(this.cap, this.open.size) / 2));
    await this.parkDownTo(this.cap);
  }

  private async parkDownTo(n: number): Promise<void> {
    for (const t of this.open) {
      if (this.open.size <= n) return;
      this.open.delete(t);
      await t.park().catch(() => undefined);
    }
  }
}
