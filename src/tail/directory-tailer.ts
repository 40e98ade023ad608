/**
 * Follows every OpenClaw log and diagnostics file in one directory, by polling. The read
 * cycle, the rotation cases and their limits are explained in docs/design.md ("Tailer").
 *
 * One poll: readdir; stat each matching name; files whose inode we hold are read on (whatever
 * their name is now: rename rotation); held files whose inode left the directory are read to
 * their end through the open handle when they still have one, then dropped (deletion, the 6th
 * rotation); new inodes are matched to the checkpoint, to a file that just left, or to a copied
 * original by their head bytes, else read from 0. An unchanged file costs one stat. At most
 * `maxOpenFiles` handles are held (HandlePool): idle files are parked and reopened on change.
 */
import type { FileCheckpoint } from "./checkpoint.ts";
import { DEFAULT_MAX_LINE_BYTES, type LineEmit } from "./line-splitter.ts";
import type { LineRecord, SourceKind } from "../line/record.ts";
import { scanDirectory, SYMLINK_SKIPPED, type Found } from "./scan-directory.ts";
import { StartPlacement } from "./start-placement.ts";
import { TrackedFile } from "./tracked-file.ts";
import { HandlePool, isOutOfHandles } from "./handle-pool.ts";
import { PollErrors } from "./poll-errors.ts";
import { DEFAULT_MAX_BYTES_PER_POLL, type ScanFacts, statsOf, type TailerOptions, type TailerStats } from "./tailer-options.ts";

export { DEFAULT_MAX_BYTES_PER_POLL, type TailerOptions, type TailerStats };
const READ_BUFFER_BYTES = 1024 * 1024;
/** The order sources are read in within a poll (see poll()). */
const SOURCE_ORDER: readonly SourceKind[] = ["diagnostics", "log"];

export class DirectoryTailer {
  private readonly opts: TailerOptions;
  private readonly maxLineBytes: number;
  private readonly files = new Map<string, TrackedFile>();
  /**
   * Keys of followed files the previous poll's scan did not list. readdir and the stats after
   * it are not one snapshot: a file renamed in between (x.log -> x.1.log) is under neither name
   * in that scan, so a file is taken as gone only when two scans in a row miss it.
   */
  private filesMissed = new Set<string>();
  private readonly placement: StartPlacement;
  private readonly pool: HandlePool;
  /** Out of handles this poll: opening waits for the next poll. */
  private deferred = false;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private readonly errors = new PollErrors();
  private lastScan: ScanFacts = { linksSkipped: 0, logNames: 0 };
  private readonly budget: number;
  /** This poll left bytes unread in some file: its budget ran out. */
  private behind = false;
  /** performance.now() after which polls visit no further file (set by finishWithin). */
  private deadline = Infinity;
  private last: Promise<unknown> = Promise.resolve();

  constructor(opts: TailerOptions) {
    this.opts = opts;
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.placement = new StartPlacement(opts.files, opts.fromBeginning ?? false, this.maxLineBytes);
    this.pool = new HandlePool(opts.maxOpenFiles);
    this.budget = opts.maxBytesPerPoll ?? DEFAULT_MAX_BYTES_PER_POLL;
  }

  /**
   * Overlapping calls (a timer firing during a slow poll) run one after the other. Resolves
   * true when a file has more to read than this poll's budget let it: poll again soon.
   */
  pollOnce(sink: (r: LineRecord) => void): Promise<boolean> {
    const run = this.last.then(() => this.poll(sink));
    this.last = run.catch(() => undefined);
    return run;
  }

  /**
   * Shutting down: the poll in progress, and any after it, visit no further file once `ms`
   * have passed (a monotonic clock: a wall-clock step cannot stretch it). Files not visited
   * keep their state, so a checkpoint taken after that poll is as exact as any other; their
   * rest is read after the restart. Infinity lifts the limit.
   */
  finishWithin(ms: number): void {
    this.deadline = performance.now() + ms;
  }

  private async poll(sink: (r: LineRecord) => void): Promise<boolean> {
    this.errors.begin();
    this.deferred = false;
    this.behind = false;
    const found = await this.scan();
    if (found) {
      // Every JSONL before any log (as readingOrder): echoes read ahead of their JSONL twins wait,
      // at most 10,000 (held-events.ts). A new day's JSONL once came after its followed log: when
      // catching up, 16 MiB of log went first and twins were counted twice (issue 20 soak).
      // Within a source, followed files first (a new one may continue one of them), oldest first.
      const rank = (f: Found) => SOURCE_ORDER.indexOf(f.info.source) * 2 + (this.files.has(f.key) ? 0 : 1);
      const visits = found.map((f) => ({ f, t: this.files.get(f.key), rank: rank(f) })).sort((a, b) => a.rank - b.rank);
      this.placement.beginPoll(visits.filter((v) => v.t === undefined).map((v) => v.f.key));
      await this.dropGone(new Set(found.map((f) => f.key)), sink);
      let cut = false;
      for (const { f, t } of visits) {
        if ((cut = performance.now() >= this.deadline)) break;
        await this.guard(f.path, () => (t === undefined ? this.adopt(f, sink) : this.advance(t, f, sink)));
      }
      // Cut short: like a poll short of handles, keep every saved entry for the next one.
      this.placement.endPoll(this.deferred || cut, (path) => this.errors.has(path));
      if (cut) this.behind = true;
    }
    this.errors.end(this.opts.onError);
    return this.behind;
  }

  snapshot(): FileCheckpoint[] {
    return [...[...this.files.values()].map((t) => t.checkpoint()), ...this.placement.unmatched()];
  }

  stats(): TailerStats {
    return statsOf(this.files.values(), this.pool, this.lastScan);
  }

  async close(): Promise<void> {
    await this.last;
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.allSettled(open.map((t) => t.close()));
  }

  /** The matching names with their identity, oldest first; undefined when readdir failed. */
  private async scan(): Promise<Found[] | undefined> {
    let links = 0;
    const fail = (path: string, message: string) => {
      if (message === SYMLINK_SKIPPED) links++;
      this.errors.fail(path, message);
    };
    try {
      const found = await scanDirectory(this.opts.dir, fail, this.opts.onFound);
      this.lastScan = { linksSkipped: links, logNames: found.length + links };
      return found;
    } catch (err) {
      if (isOutOfHandles(err)) await this.pool.exhausted();
      this.lastScan = { linksSkipped: 0, logNames: 0, dirError: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
      this.errors.fail(this.opts.dir, `cannot list log directory: ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * Followed files whose inode is no longer in the directory: read what is left through the
   * handle (a parked file has none: lines appended after it was parked and before it left are
   * lost, see Known Limitations). Missed by one scan only, it is kept: it may have been renamed
   * between readdir and stat, and the next scan finds it under its new name at its offset.
   * Missed twice, it is dropped and remembered for this poll's new files.
   */
  private async dropGone(present: Set<string>, sink: (r: LineRecord) => void): Promise<void> {
    const missedBefore = this.filesMissed;
    this.filesMissed = new Set();
    for (const [key, t] of this.files) {
      if (present.has(key)) continue;
      if (t.isOpen) {
        let read = 0;
        await this.guard(t.path, async () => { read = await t.read(this.buffer, this.emitter(t, sink), this.budget); });
        if (read >= this.budget) {
          // Its rest is read at the next polls, through the handle, before it may be dropped.
          this.behind = true;
          continue;
        }
      }
      if (!missedBefore.has(key)) {
        this.filesMissed.add(key);
        continue;
      }
      this.files.delete(key);
      this.pool.forget(t);
      await t.close().catch(() => undefined);
      this.placement.vanish(t.checkpoint());
    }
  }

  private async advance(t: TrackedFile, f: Found, sink: (r: LineRecord) => void): Promise<void> {
    if (t.path !== f.path) {
      t.path = f.path; // renamed (x.log -> x.1.log): same inode, same offset
      t.name = f.info;
    }
    if (t.isUnchanged(f.size, f.mtimeMs)) return;
    if (!t.isOpen) {
      if (this.deferred) return; // out of handles: its offset waits for the next poll
      await this.pool.makeRoom();
      if (!(await t.reopen(f.path))) return;
      if (!(await t.holdsSameContent(f.size))) return this.replaced(t, f, sink);
    }
    this.pool.touch(t);
    const former = await t.verify(f.size, f.mtimeMs);
    if (former) this.placement.remember(former);
    // Behind only when the budget ran out: a size we cannot read up to must not make a busy loop.
    if ((await t.read(this.buffer, this.emitter(t, sink), this.budget)) >= this.budget) this.behind = true;
  }

  /**
   * A parked file's inode now holds other content: truncated and rewritten, or freed and
   * reused by a new file. Either way it is placed like a new file (a copy of something we
   * follow continues at that offset, else 0), and its old content is remembered as gone.
   */
  private async replaced(t: TrackedFile, f: Found, sink: (r: LineRecord) => void): Promise<void> {
    this.placement.remember({ head: t.head, offset: t.splitter.lineStart });
    this.placement.vanish(t.checkpoint());
    this.files.delete(t.key);
    this.pool.forget(t);
    await t.close();
    await this.adopt(f, sink);
  }

  private async adopt(f: Found, sink: (r: LineRecord) => void): Promise<void> {
    if (this.deferred) return; // out of handles: adopted at a later poll
    await this.pool.makeRoom();
    const t = await TrackedFile.open(f.path, f.info, this.maxLineBytes);
    if (this.files.has(t.key)) {
      // The name now points at a file we already hold (replaced between stat and open).
      await t.close();
      return;
    }
    await this.placement.place(t, this.files.values());
    this.files.set(t.key, t);
    this.pool.touch(t);
    await this.advance(t, { ...f, key: t.key, size: t.lastSize }, sink);
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
      // O_NOFOLLOW refused a link swapped in after the scan's lstat: the same policy, the same message.
      if ((err as NodeJS.ErrnoException).code === "ELOOP") return this.errors.fail(path, SYMLINK_SKIPPED);
      if (isOutOfHandles(err)) {
        // Never crash, never spin: give handles back, open nothing more until the next poll,
        // and say so once per streak (one message for the directory, not one per file).
        await this.pool.exhausted();
        this.deferred = true;
        this.errors.fail(this.opts.dir, `out of file handles (${(err as NodeJS.ErrnoException).code}); holding at most ${this.pool.cap} open until the next poll`);
        return;
      }
      this.errors.fail(path, `cannot read: ${(err as Error).message}`);
    }
  }
}
