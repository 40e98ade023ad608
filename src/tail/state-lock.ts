/**
 * One sidecar per state directory. Two on one directory (a systemd unit plus a manual run, two
 * containers on one volume) both counted everything, and in two PID namespaces both wrote
 * `checkpoint.json.tmp-1`: failed renames and torn checkpoints (issue 20).
 *
 * The lock is a kernel lock, not a lock file to be judged stale: Node has no flock(2) without
 * a native add-on, but its built-in SQLite takes POSIX fcntl locks, and `BEGIN EXCLUSIVE` on
 * `run.lock` (an empty database, used for nothing else) holds one until the connection closes.
 * The kernel drops it when the process dies in any way (SIGKILL included), it is seen across
 * PID namespaces and containers sharing the volume (one kernel, one inode), and SQLite makes it
 * exclusive inside one process too. No pid to check for liveness, so nothing stale to guess.
 *
 * Who holds it is written, once it is held, to `run.lock.json` (pid, host, PID namespace, start
 * time): the refusal names the holder. Where no lock can be taken at all (a read-only state
 * directory, a filesystem without locks) the sidecar runs unlocked and says so: it cannot
 * write a checkpoint there either, so there is nothing two writers could tear.
 */
import { mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";

export const LOCK_FILE = "run.lock";
export const HOLDER_FILE = "run.lock.json";
/** `run`'s exit code when another sidecar holds the state directory (docs/design.md). */
export const EXIT_STATE_DIR_BUSY = 3;

export interface LockHolder { pid: number; host: string; pidNamespace: string; startedAt: string; version: string }

export type LockResult =
  | { kind: "held"; release: () => void }
  | { kind: "busy"; message: string }
  | { kind: "unlocked"; message: string };

/** SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock. */
const BUSY = new Set([5, 6]);
/** Open connections: a collected DatabaseSync would close and release its lock. */
const held = new Set<DatabaseSync>();

function pidNamespace(): string {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return "unknown";
  }
}

export function lockStateDir(dir: string, version: string): LockResult {
  let db: DatabaseSync;
  try {
    mkdirSync(dir, { recursive: true });
    // Loaded here only: `replay` and `report` never need it.
    const { DatabaseSync: Db } = process.getBuiltinModule("node:sqlite");
    db = new Db(join(dir, LOCK_FILE), { timeout: 0 });
  } catch (err) {
    return { kind: "unlocked", message: unlockedMessage(dir, err) };
  }
  try {
    // No rollback journal: nothing is ever written, and a SIGKILL would leave run.lock-journal.
    db.exec("PRAGMA journal_mode = MEMORY; BEGIN EXCLUSIVE");
  } catch (err) {
    db.close();
    if (BUSY.has((err as { errcode?: number }).errcode ?? -1)) return { kind: "busy", message: busyMessage(dir) };
    return { kind: "unlocked", message: unlockedMessage(dir, err) };
  }
  held.add(db);
  const me: LockHolder = { pid: process.pid, host: hostname(), pidNamespace: pidNamespace(), startedAt: new Date().toISOString(), version };
  try {
    const tmp = join(dir, `${HOLDER_FILE}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    writeFileSync(tmp, JSON.stringify(me) + "\n", { mode: 0o644 });
    renameSync(tmp, join(dir, HOLDER_FILE));
  } catch {
    // The lock is what counts; a refusal without the holder's name still refuses.
  }
  return {
    kind: "held",
    release: () => {
      if (!held.delete(db)) return;
      db.close();
    },
  };
}

function busyMessage(dir: string): string {
  const base = `state directory ${dir} is in use by another openclaw-otel sidecar`;
  let h: Partial<LockHolder> | undefined;
  try {
    h = JSON.parse(readFileSync(join(dir, HOLDER_FILE), "utf8")) as Partial<LockHolder>;
  } catch {
    h = undefined;
  }
  const advice = "; stop that one first (e.g. `systemctl --user stop openclaw-otel-sidecar`), or give this one its own --state-dir";
  if (h === undefined || typeof h.pid !== "number") return `${base} (its ${HOLDER_FILE} is not readable yet)${advice}`;
  const sameHost = h.host === hostname();
  const samePidNs = sameHost && h.pidNamespace === pidNamespace();
  const where = samePidNs ? `pid ${h.pid}` : `pid ${h.pid} in ${sameHost ? "another PID namespace" : "another container or host"}`;
  return `${base}: ${where} on host ${String(h.host)}, started ${String(h.startedAt)} (version ${String(h.version)})${advice}`;
}

function unlockedMessage(dir: string, err: unknown): string {
  return `cannot lock state directory ${dir} (${(err as Error).message}); running without the lock: another sidecar on this directory would not be refused`;
}
