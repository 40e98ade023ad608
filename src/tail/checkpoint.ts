/**
 * The checkpoint: where each followed file was read up to, plus the telemetry stage's
 * cumulative state, committed together in ONE atomic write so offsets and counters can never
 * disagree after a crash (Vector's checkpointer, OTel fileconsumer's design).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { SourceKind } from "../line/record.ts";

export interface FileCheckpoint {
  /** Path when last seen (informational: identity is the fingerprint). */
  path: string;
  source: SourceKind;
  profile: string;
  /** sha256 hex of the file's first `fingerprintBytes` bytes. */
  fingerprint: string;
  /** 0..1024: grows while the file is smaller than 1 KiB. */
  fingerprintBytes: number;
  /** Byte offset just after the last line handed on (always a line boundary), unless `discard`. */
  offset: number;
  /**
   * The offset is inside a line already known to be too long (a huge file of zeros, say): it
   * resumes dropping bytes there up to the next "\n", instead of re-reading the line from its start.
   */
  discard?: boolean;
}

export interface Checkpoint {
  version: 1;
  /** Epoch ms: the wall clock at the save, or the latest time it showed if it stepped back (src/wall-clock.ts). */
  savedAt: number;
  files: FileCheckpoint[];
  /** Opaque to the tailer: owned by the telemetry stage. */
  telemetry?: unknown;
  /**
   * Opaque to the tailer: the status page's incidents (serving/live-incidents.ts), saved in the
   * same write so a restart shows the incidents that were ongoing. Unlike `telemetry`, an
   * unusable value is dropped with a warning: nothing counted depends on it.
   */
  incidents?: unknown;
  /** Opaque to the tailer: what the notifier told and what it has still to send (src/notify), dropped with a warning when unusable. */
  notify?: unknown;
}

export const CHECKPOINT_FILE = "checkpoint.json";

/**
 * A checkpoint file that exists and was read but holds nothing usable (torn, not JSON, another
 * version, a malformed entry). Unlike an I/O error, waiting or restarting never fixes it: the
 * sidecar moves it aside and starts afresh (setAside) instead of refusing to start for good.
 */
export class UnusableCheckpoint extends Error {
  override name = "UnusableCheckpoint";
}

export class CheckpointStore {
  readonly path: string;
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = stateDir;
    this.path = join(stateDir, CHECKPOINT_FILE);
  }

  /**
   * undefined when there is no checkpoint yet; throws when it exists but cannot be used:
   * UnusableCheckpoint for its content, a plain Error when it cannot be read (permissions).
   */
  load(): Checkpoint | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`cannot read checkpoint file ${this.path}: ${(err as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new UnusableCheckpoint(`checkpoint file ${this.path} is corrupt (not JSON: ${(err as Error).message})`);
    }
    const problem = checkpointProblem(data);
    if (problem) throw new UnusableCheckpoint(`checkpoint file ${this.path} is unusable: ${problem}`);
    return data as Checkpoint;
  }

  /**
   * Temp file + fsync + rename (+ fsync of the directory): a crash leaves old or new, whole.
   * Throws when any step fails; the old checkpoint is then untouched and the temp file removed.
   */
  save(cp: Checkpoint): void {
    mkdirSync(this.dir, { recursive: true });
    // pid alone collided: two sidecars in two PID namespaces are both pid 1 (issue 20). The
    // state lock keeps a second writer out; the random part keeps even an unlocked one apart.
    const tmp = `${this.path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeFully(fd, Buffer.from(JSON.stringify(cp)));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (err) {
      // A partial temp file must never become the checkpoint, nor fill the disk further.
      try {
        unlinkSync(tmp);
      } catch {
        // Not created (read-only directory, EMFILE) or already gone: nothing to clean.
      }
      throw err;
    }
    try {
      const dirFd = openSync(this.dir, "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
    }
  }

  /**
   * Moves an unusable checkpoint out of the way (kept for inspection, never deleted) and
   * returns its new path, or undefined when it could not be moved: the next save replaces it.
   */
  setAside(nowMs: number = Date.now()): string | undefined {
    const to = `${this.path}.unusable-${new Date(nowMs).toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(this.path, to);
      return to;
    } catch {
      return undefined;
    }
  }

  /**
   * Temp files of writes a kill interrupted (their names no longer repeat). Only the holder of
   * the state lock may call this: another writer's temp file is not a leftover.
   */
  removeLeftoverTemps(): number {
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    for (const n of names) {
      if (!n.startsWith(`${CHECKPOINT_FILE}.tmp-`)) continue;
      try {
        unlinkSync(join(this.dir, n));
        removed++;
      } catch {
        // Read-only or already gone: harmless, it is never read.
      }
    }
    return removed;
  }
}

/**
 * write(2) may write fewer bytes than asked (a nearly full disk): keep writing the rest, or
 * throw. Ignoring the short count once renamed a truncated file over a good checkpoint.
 */
export function writeFully(fd: number, data: Buffer, write: typeof writeSync = writeSync): void {
  let done = 0;
  while (done < data.length) {
    const n = write(fd, data, done, data.length - done);
    if (n <= 0) throw Object.assign(new Error(`short write: ${done} of ${data.length} bytes`), { code: "ENOSPC" });
    done += n;
  }
}

function checkpointProblem(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return "not an object";
  const cp = data as Record<string, unknown>;
  if (cp.version !== 1) return `unsupported version ${JSON.stringify(cp.version)} (expected 1)`;
  if (typeof cp.savedAt !== "number") return "savedAt is not a number";
  if (!Array.isArray(cp.files)) return "files is not an array";
  for (const [i, f] of cp.files.entries()) {
    const bad = fileProblem(f);
    if (bad) return `files[${i}]: ${bad}`;
  }
  return undefined;
}

function fileProblem(f: unknown): string | undefined {
  if (typeof f !== "object" || f === null) return "not an object";
  const e = f as Record<string, unknown>;
  if (typeof e.path !== "string") return "path is not a string";
  if (e.source !== "log" && e.source !== "diagnostics") return "source is not log|diagnostics";
  if (typeof e.profile !== "string") return "profile is not a string";
  if (typeof e.fingerprint !== "string") return "fingerprint is not a string";
  if (!isCount(e.fingerprintBytes) || e.fingerprintBytes > 1024) return "fingerprintBytes out of range";
  if (!isCount(e.offset)) return "offset is not a non-negative integer";
  if (e.discard !== undefined && typeof e.discard !== "boolean") return "discard is not a boolean";
  return undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** $XDG_STATE_HOME/openclaw-otel-sidecar, else ~/.local/state/openclaw-otel-sidecar. */
export function defaultStateDir(env: Record<string, string | undefined> = process.env): string {
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "openclaw-otel-sidecar");
  return join(env.HOME || homedir(), ".local", "state", "openclaw-otel-sidecar");
}
